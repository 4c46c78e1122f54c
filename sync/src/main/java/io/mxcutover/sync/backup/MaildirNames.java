package io.mxcutover.sync.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * Names in a Maildir backup, decided without touching the disk: the Maildir++ directory of a folder
 * and the file name of a message (flags as Maildir info letters, keywords as letters {@code a}..{@code z}
 * by their index in {@code dovecot-keywords}).
 */
public final class MaildirNames {
    /** Dovecot's mapping of system flags to Maildir info letters (maildir-sync.c). */
    private static final List<String[]> SYSTEM = List.of(
            new String[] {"\\Draft", "D"},
            new String[] {"\\Flagged", "F"},
            new String[] {"\\Answered", "R"},
            new String[] {"\\Seen", "S"},
            new String[] {"\\Deleted", "T"});

    private static final Pattern FILE =
            Pattern.compile("^(\\d+)\\.M(\\d+)V(\\d+)\\.mxcutover,S=(\\d+)(?::2,([A-Za-z]*))?$");
    public static final int MAX_KEYWORDS = 26;

    private MaildirNames() {}

    /**
     * The Maildir++ directory of a folder given its canonical levels ({@code [Archive, 2019]}):
     * {@code ""} for INBOX, else {@code .Archive.2019}; each level in modified UTF-7, with {@code .} and
     * {@code /} inside a level replaced by {@code _} (they are separators on disk).
     */
    public static String folderDir(List<String> levels) {
        if (levels.size() == 1 && levels.get(0).equalsIgnoreCase("INBOX")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String level : levels) {
            sb.append('.')
                    .append(BASE64MailboxEncoder.encode(level).replace('.', '_').replace('/', '_'));
        }
        return sb.toString();
    }

    /**
     * {@code <internaldate>.M<uid>V<uidvalidity>.mxcutover,S=<size>:2,<letters>}: the letters in ASCII order,
     * system flags first (D F R S T), then the keywords' letters. Keywords missing from {@code keywords}
     * (beyond 26) are not in the name.
     */
    public static String messageFile(
            long uidValidity, long uid, long size, Instant internalDate, Set<String> flags, List<String> keywords) {
        return baseName(uidValidity, uid, size, internalDate) + ":2," + letters(flags, keywords);
    }

    public static String baseName(long uidValidity, long uid, long size, Instant internalDate) {
        return internalDate.getEpochSecond() + ".M" + uid + "V" + uidValidity + ".mxcutover,S=" + size;
    }

    static String letters(Set<String> flags, List<String> keywords) {
        TreeSet<Character> out = new TreeSet<>();
        for (String[] s : SYSTEM) {
            if (flags.stream().anyMatch(f -> f.equalsIgnoreCase(s[0]))) {
                out.add(s[1].charAt(0));
            }
        }
        for (String f : flags) {
            if (!f.startsWith("\\")) {
                int i = keywords.indexOf(f);
                if (i >= 0 && i < MAX_KEYWORDS) {
                    out.add((char) ('a' + i));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        out.forEach(sb::append);
        return sb.toString();
    }

    /** The keywords of these flags not yet in {@code known}, in order of first appearance, up to 26 in all. */
    public static List<String> newKeywords(List<String> known, Set<String> flags) {
        List<String> added = new ArrayList<>();
        for (String f : new TreeSet<>(flags)) {
            if (!f.startsWith("\\") && !known.contains(f) && known.size() + added.size() < MAX_KEYWORDS) {
                added.add(f);
            }
        }
        return added;
    }

    /** A file name this backup wrote, read back. */
    public record Parsed(long internalDate, long uid, long uidValidity, long size, Set<String> flags) {}

    public static Optional<Parsed> parse(String fileName, List<String> keywords) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        Set<String> flags = new TreeSet<>();
        String letters = m.group(5) == null ? "" : m.group(5);
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            for (String[] s : SYSTEM) {
                if (s[1].charAt(0) == c) {
                    flags.add(s[0]);
                }
            }
            if (c >= 'a' && c <= 'z' && c - 'a' < keywords.size()) {
                flags.add(keywords.get(c - 'a'));
            }
        }
        return Optional.of(new Parsed(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                flags));
    }
}
