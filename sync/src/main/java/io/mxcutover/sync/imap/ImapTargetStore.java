package io.mxcutover.sync.imap;

import static io.mxcutover.sync.imap.ImapErrorClassifier.classify;
import static io.mxcutover.sync.imap.ImapErrorClassifier.safe;

import io.mxcutover.sync.credential.Login;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * A session on the new server, the side the sync writes: folders are SELECTed (read-write); CREATE, SUBSCRIBE,
 * APPEND and STORE are here, the reads are {@link ImapSession}'s. See {@link TargetStore}.
 *
 * <p>APPEND is issued here, not by {@code IMAPFolder.appendMessages}, so the bytes are sent verbatim (no CRLF
 * rewriting, no buffering of the whole message), with the source INTERNALDATE and flags, and a batch goes in
 * one MULTIAPPEND (RFC 3502) when the server offers it. UIDPLUS (RFC 4315) APPENDUID results are returned.
 */
public final class ImapTargetStore extends ImapSession implements TargetStore {
    private static final Pattern APPENDUID =
            Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)\\]", Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter INTERNALDATE_FORMAT =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ImapTargetStore(Connected connected, ImapSettings settings) {
        super(connected, settings, Folder.READ_WRITE);
    }

    /** Connects and logs in as the target side. Failures name the server and the login, never the secret. */
    public static ImapTargetStore open(ImapEndpoint endpoint, Login login, ImapSettings settings) throws ImapException {
        return new ImapTargetStore(connect(endpoint, login, "target", settings), settings);
    }

    /**
     * CREATE, issued here rather than by {@code IMAPFolder.create} (which answers a refusal with a bare
     * {@code false}), so that a refusal carries the server's words, e.g. Dovecot's "Invalid mailbox name:
     * Contains reserved name" for a folder {@code new} under Maildir {@code LAYOUT=fs}.
     */
    @Override
    public void createFolder(String folder) throws ImapException {
        IMAPFolder f = folderObject(folder);
        try {
            // CREATE straight away (the caller creates what its listing lacked): a refusal is looked up below,
            // so an existing folder is still fine, and a new one costs one round trip, not a LIST before it.
            f.doCommand(p -> {
                p.create(folder);
                return null;
            });
        } catch (MessagingException e) {
            if (e.getCause() instanceof CommandFailedException
                    || e.getCause() instanceof org.eclipse.angus.mail.iap.BadCommandException) {
                if (existsQuietly(f)) {
                    return; // there already, or created meanwhile (another session): fine
                }
                String text = safe(e.getMessage());
                ImapException.Kind kind = ImapErrorClassifier.refusal(text);
                throw new ImapException(
                        kind,
                        "the " + label + " refused to create folder '" + folder + "': " + text
                                + (kind == ImapException.Kind.REFUSED
                                        ? " (give the folder another name on the new server with a"
                                                + " folder rename rule, or rename it on the legacy server)"
                                        : ""),
                        text,
                        e,
                        server);
            }
            throw classify("cannot create folder '" + folder + "' on " + label, e, server);
        }
    }

    /** {@link RawImapProtocol#createAll}: one round trip for every folder; none when the protocol is Angus's own. */
    @Override
    public List<String> createFolders(List<String> folders, java.util.Set<String> subscribe) throws ImapException {
        if (folders.isEmpty()) {
            return List.of();
        }
        try {
            @SuppressWarnings("unchecked") // our own command's result
            List<String> created = (List<String>) folderObject(folders.get(0)).doCommand(p -> {
                if (!(p instanceof RawImapProtocol rp)) {
                    return List.of();
                }
                return rp.createAll(folders, subscribe);
            });
            return created;
        } catch (MessagingException e) {
            throw classify("cannot create " + folders.size() + " folders on " + label, e, server);
        }
    }

    /**
     * DELETE of a folder this session created (the inventory's scratch folder and its probes); a folder that
     * is not there is fine. Only the target type has it: the source is read-only.
     */
    public void deleteFolder(String folder) throws ImapException {
        IMAPFolder f = folderObject(folder);
        try {
            if (selected != null && selected.getFullName().equals(folder)) {
                closeSelected();
            }
            if (f.exists()) {
                f.doCommand(p -> {
                    p.delete(folder);
                    return null;
                });
            }
        } catch (MessagingException e) {
            throw classify("cannot delete folder '" + folder + "' on " + label, e, server);
        }
    }

    /**
     * The largest message the server accepts in an APPEND, from its {@code APPENDLIMIT=n} capability (RFC 7889);
     * empty when it announces none, or announces it per folder only (a bare {@code APPENDLIMIT}).
     */
    public java.util.OptionalLong appendLimit() {
        try {
            @SuppressWarnings("unchecked") // IMAPProtocol.getCapabilities() is Map<String, String>
            Map<String, String> caps =
                    (Map<String, String>) folderObject("INBOX").doCommand(p -> p.getCapabilities());
            for (String c : caps.keySet()) {
                if (c.toUpperCase(Locale.ROOT).startsWith("APPENDLIMIT=")) {
                    try {
                        return java.util.OptionalLong.of(Long.parseLong(c.substring("APPENDLIMIT=".length())));
                    } catch (NumberFormatException e) {
                        return java.util.OptionalLong.empty();
                    }
                }
            }
            return java.util.OptionalLong.empty();
        } catch (MessagingException | ImapException e) {
            return java.util.OptionalLong.empty();
        }
    }

    private static boolean existsQuietly(IMAPFolder f) {
        try {
            return f.exists();
        } catch (MessagingException e) {
            return false;
        }
    }

    /**
     * Yes: every command goes out through {@link RawImapProtocol#writeCommand}, which drops the connection when a
     * literal is cut (the stream's source failed), so the server discards the partial APPEND.
     */
    @Override
    public boolean appendsStreams() {
        return true;
    }

    @Override
    public void subscribe(String folder) throws ImapException {
        try {
            // SUBSCRIBE straight away: subscribing a subscribed folder is fine (RFC 3501 6.3.6), and asking first
            // (isSubscribed: an LSUB) cost a round trip per new folder.
            ((IMAPFolder) store.getFolder(folder)).setSubscribed(true);
        } catch (MessagingException e) {
            throw classify("cannot subscribe to folder '" + folder + "' on " + label, e, server);
        }
    }

    /**
     * Appends the messages to {@code folder} exactly as fetched, with their source flags and
     * INTERNALDATE. Returns the target UID of each (0 when the server has no UIDPLUS), in order.
     * With MULTIAPPEND the batch is one command and all-or-nothing; a refusal is reported for
     * the batch and the caller retries message by message to find the culprit.
     */
    @Override
    public List<Long> append(String folder, List<RawMessage> messages) throws ImapException {
        if (messages.isEmpty()) {
            return List.of();
        }
        boolean multi = messages.size() > 1;
        if (multi && !(settings.useMultiAppend() && hasCapability("MULTIAPPEND"))) {
            List<Long> uids = new ArrayList<>();
            for (RawMessage m : messages) {
                uids.addAll(append(folder, List.of(m)));
            }
            return uids;
        }
        IMAPFolder f = selected != null && selected.getFullName().equals(folder) ? selected : folderObject(folder);
        try {
            Response[] rs = (Response[]) f.doCommand(p -> {
                Response[] r = p.command("APPEND", appendArguments(p, folder, messages));
                notifyUntagged(p, r);
                return r;
            });
            return appended(rs[rs.length - 1], folder, messages.size());
        } catch (MessagingException e) {
            throw classify("cannot append to folder '" + folder + "' on " + label, e, server);
        }
    }

    /**
     * The APPEND is written (with LITERAL+ the messages go with it, no continuation awaited) and its answer read
     * by the handle. Without LITERAL+ a literal waits for the server's continuation, which could take another
     * command's answer: then, and for several messages without MULTIAPPEND, the append is done at once.
     */
    @Override
    public PendingAppend startAppend(String folder, List<RawMessage> messages) throws ImapException {
        boolean multi = messages.size() > 1;
        if (messages.isEmpty()
                || (multi && !(settings.useMultiAppend() && hasCapability("MULTIAPPEND")))
                || !hasCapability("LITERAL+")
                || selected == null
                || !selected.getFullName().equals(folder)
                || !selected.isOpen()) {
            return TargetStore.super.startAppend(
                    folder, messages); // pipelined only on the selected folder's connection
        }
        IMAPFolder f = selected;
        String tag;
        try {
            tag = (String) f.doCommand(p -> p instanceof RawImapProtocol rp
                    ? rp.writePipelined("APPEND", appendArguments(p, folder, messages))
                    : null);
        } catch (MessagingException e) {
            throw classify("cannot append to folder '" + folder + "' on " + label, e, server);
        }
        if (tag == null) {
            return TargetStore.super.startAppend(folder, messages);
        }
        return () -> {
            try {
                Response[] rs = (Response[]) f.doCommand(p -> {
                    Response[] r = ((RawImapProtocol) p).readPipelined(tag);
                    notifyUntagged(p, r);
                    return r;
                });
                return appended(rs[rs.length - 1], folder, messages.size());
            } catch (MessagingException e) {
                throw classify("cannot append to folder '" + folder + "' on " + label, e, server);
            }
        };
    }

    private static Argument appendArguments(
            org.eclipse.angus.mail.imap.protocol.IMAPProtocol p, String folder, List<RawMessage> messages) {
        Argument args = new Argument();
        if (p.supportsUtf8()) {
            args.writeString(folder, StandardCharsets.UTF_8);
        } else {
            args.writeString(BASE64MailboxEncoder.encode(folder));
        }
        for (RawMessage m : messages) {
            Argument flags = new Argument();
            for (String flag : m.meta().flags()) {
                flags.writeAtom(flag);
            }
            args.writeArgument(flags);
            args.writeString(INTERNALDATE_FORMAT.format(
                    Instant.ofEpochSecond(m.meta().identity().internalDate())));
            args.writeBytes(new RawLiteral(m));
        }
        return args;
    }

    /** The UIDs an APPEND's tagged answer gives, or its refusal as an {@link ImapException}. */
    private List<Long> appended(Response last, String folder, int count) throws ImapException {
        if (!last.isOK()) {
            String text = last.getRest();
            throw new ImapException(
                    ImapErrorClassifier.kindOf(last),
                    "the " + label + " refused to append " + count + " message(s) to folder '" + folder + "': " + text,
                    text,
                    null,
                    server);
        }
        return appendUids(last.toString(), count);
    }

    static List<Long> appendUids(String taggedResponse, int count) {
        Matcher m = APPENDUID.matcher(taggedResponse);
        List<Long> uids = new ArrayList<>();
        if (m.find()) {
            for (String part : m.group(2).split(",")) {
                int colon = part.indexOf(':');
                if (colon < 0) {
                    uids.add(Long.parseLong(part));
                } else {
                    long a = Long.parseLong(part.substring(0, colon));
                    long b = Long.parseLong(part.substring(colon + 1));
                    for (long u = Math.min(a, b); u <= Math.max(a, b) && uids.size() <= count; u++) {
                        uids.add(u);
                    }
                }
            }
        }
        if (uids.size() != count) {
            return new ArrayList<>(Collections.nCopies(count, 0L));
        }
        return uids;
    }

    /** Adds and removes flags on one message of the selected target folder. */
    @Override
    public void storeFlags(long uid, Set<String> add, Set<String> remove) throws ImapException {
        requireSelected();
        try {
            if (!add.isEmpty()) {
                command(selected, "UID STORE " + uid + " +FLAGS.SILENT (" + String.join(" ", add) + ")", null);
            }
            if (!remove.isEmpty()) {
                command(selected, "UID STORE " + uid + " -FLAGS.SILENT (" + String.join(" ", remove) + ")", null);
            }
        } catch (MessagingException e) {
            throw classify(
                    "cannot set flags on UID " + uid + " in folder '" + selected.getFullName() + "' on " + label,
                    e,
                    server);
        }
    }

    /** Sends a message's stored bytes as the APPEND literal, verbatim. */
    private record RawLiteral(RawMessage message) implements Literal {
        @Override
        public int size() {
            return Math.toIntExact(message.size());
        }

        @Override
        public void writeTo(OutputStream os) throws IOException {
            message.writeTo(os);
        }
    }
}
