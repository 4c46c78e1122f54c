package io.mxcutover.sync.mailbox;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a mailbox list in one of two formats.
 *
 * <p>CSV with a header row, RFC 4180 quoting: {@code address,legacy_login,legacy_password,new_login,new_password}
 * and optional {@code legacy_auth,new_auth} ({@code password}, {@code xoauth2} or {@code oauthbearer}; with
 * an OAuth2 mechanism the password column holds the mailbox's refresh token when the side has an OAuth2
 * client ({@link io.mxcutover.sync.credential.OAuthLogins}; empty: the application's token), else a bearer
 * token used as it is) and {@code batch} (the mailbox's batch, read by
 * {@link io.mxcutover.sync.batch.BatchColumn}; ignored here). Column order is free. A password side whose
 * login and password are both empty logs in with the address (a row {@code anna@example.org,,,,} is a
 * mailbox whose user gives the legacy password through the self-service page: its state is
 * {@code AWAITING_USER}).
 *
 * <p>The {@code user:pass[:alias]} list that bulk tools use (one per line, {@code #} comments):
 * the same login and password on both sides; the alias (an address) names the mailbox, else
 * the user does. The password may itself contain {@code :} when no alias follows: the alias is
 * only taken when the last field contains {@code @}.
 *
 * <p>All or nothing: the header has no unknown column, the list at least one mailbox, every line is checked (as many fields as the header, or more only when empty; address is
 * {@code local@domain}, in one of the allowed domains when the caller gives them, logins present, auth kind known, no address twice, quotes closed)
 * and any problem makes {@link InvalidMailboxList} with all of them (line, what, fix), so one round of
 * corrections suffices. Problems name the line, the column and the address, never a password.
 */
public final class MailboxCsv {
    private static final List<String> REQUIRED =
            List.of("address", "legacy_login", "legacy_password", "new_login", "new_password");
    private static final List<String> OPTIONAL = List.of("legacy_auth", "new_auth", "batch");
    private static final Pattern LINE_IN_MESSAGE = Pattern.compile("line:? ?(\\d+)", Pattern.CASE_INSENSITIVE);

    private MailboxCsv() {}

    /** A list for servers that serve any domain (the one-shot CLI: the admin named the two servers). */
    public static List<MailboxAccount> parse(Reader reader) throws IOException {
        return parse(readAll(reader), Optional.empty());
    }

    public static List<MailboxAccount> parse(String text) throws IOException {
        return parse(new StringReader(text));
    }

    /**
     * A list whose every mailbox must be in one of {@code domains} (the appliance: the plan's domains, each
     * with its own servers); an address of another domain is a problem of its line. No domains: every line
     * is refused.
     */
    public static List<MailboxAccount> parseFor(Reader reader, Collection<String> domains) throws IOException {
        Set<String> allowed = new TreeSet<>();
        domains.forEach(d -> allowed.add(d.strip().toLowerCase(Locale.ROOT)));
        return parse(readAll(reader), Optional.of(allowed));
    }

    private static List<MailboxAccount> parse(String text, Optional<Set<String>> domains) {
        String firstLine = text.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .findFirst()
                .orElse("");
        Rows rows = firstLine.toLowerCase(Locale.ROOT).replace("\"", "").startsWith("address,")
                        || firstLine.toLowerCase(Locale.ROOT).contains("legacy_login")
                ? parseCsv(text, domains)
                : parseColonList(text, domains);
        if (rows.problems.isEmpty() && rows.accounts.isEmpty()) {
            // An empty import is a mistake (the wrong file, a body that did not arrive), not "nothing to do".
            rows.problem(
                    1,
                    "the list has no mailbox",
                    "put one line per mailbox after the header row " + String.join(",", REQUIRED)
                            + " (or user:password[:address] lines)");
        }
        if (!rows.problems.isEmpty()) {
            throw new InvalidMailboxList(rows.problems);
        }
        return rows.accounts;
    }

    /** What a parse found: the accounts of the good lines and every problem. */
    private static final class Rows {
        final List<MailboxAccount> accounts = new ArrayList<>();
        final List<InvalidMailboxList.Problem> problems = new ArrayList<>();
        final Map<String, Long> seen = new LinkedHashMap<>();

        void problem(long line, String what, String fix) {
            problems.add(new InvalidMailboxList.Problem(line, what, fix));
        }

        /** Checks the address (syntax, domain, duplicate); true when the line may become an account. */
        boolean address(long line, String address, Optional<Set<String>> domains, String addressFix) {
            Optional<String> bad = MailboxAddress.problem(address);
            if (bad.isPresent()) {
                problem(line, bad.get(), addressFix);
                return false;
            }
            String a = address.strip().toLowerCase(Locale.ROOT);
            String domain = MailboxAddress.domainOf(a);
            boolean ok = true;
            if (domains.isPresent() && !domains.get().contains(domain)) {
                problem(
                        line,
                        "mailbox " + a + " is not in a domain of the plan ("
                                + (domains.get().isEmpty()
                                        ? "the plan has no domains"
                                        : String.join(", ", domains.get()))
                                + ")",
                        "add " + domain + " to the plan with its legacy and new servers first, or remove this line");
                ok = false;
            }
            Long previous = seen.putIfAbsent(a, line);
            if (previous != null) {
                problem(line, "mailbox " + a + " is already listed on line " + previous, "keep one line per mailbox");
                ok = false;
            }
            return ok;
        }
    }

    private static Rows parseCsv(String text, Optional<Set<String>> domains) {
        Rows rows = new Rows();
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setTrim(true)
                .setIgnoreEmptyLines(true)
                .setCommentMarker('#')
                .get();
        long[] lineStarts = lineStarts(text);
        List<String> lines = text.lines().toList();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            Map<String, Integer> header = new LinkedHashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.trim().toLowerCase(Locale.ROOT), v));
            List<String> missing =
                    REQUIRED.stream().filter(c -> !header.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                rows.problem(
                        parser.getCurrentLineNumber(),
                        "the header row lacks column(s) " + String.join(", ", missing),
                        "start the file with the header " + String.join(",", REQUIRED));
                return rows;
            }
            // A misspelt optional column would be ignored, and its mailboxes log in another way than the admin
            // wrote (a 'legacy_auht' column: password login with the token as password).
            List<String> unknown = header.keySet().stream()
                    .filter(c -> !REQUIRED.contains(c) && !OPTIONAL.contains(c))
                    .toList();
            if (!unknown.isEmpty()) {
                rows.problem(
                        parser.getCurrentLineNumber(),
                        "the header row has unknown column(s) " + String.join(", ", unknown),
                        "use only the columns " + String.join(",", REQUIRED) + " and optionally "
                                + String.join(",", OPTIONAL) + "; check the spelling");
                return rows;
            }
            for (CSVRecord row : parser) {
                // The record's position is where the parser started looking: before the comment and empty
                // lines it skipped. Its own line is the first one after those.
                long line = lineOf(lineStarts, row.getCharacterPosition());
                while (line < lines.size()
                        && (lines.get((int) line - 1).isBlank()
                                || lines.get((int) line - 1).startsWith("#"))) {
                    line++;
                }
                if (row.size() < header.size() || !extraFieldsEmpty(row, header.size())) {
                    // A missing or extra comma shifts every later value into the wrong column (a password
                    // read as a login, an empty password): the row cannot be trusted. Empty fields after the
                    // last column (a spreadsheet's trailing commas) shift nothing.
                    rows.problem(
                            line,
                            "the row has " + row.size() + " field(s), the header " + header.size(),
                            "a comma is missing or extra on this line; put a value that contains a comma in"
                                    + " double quotes");
                    continue;
                }
                row(rows, line, row, header, domains);
            }
        } catch (UncheckedIOException | IOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            rows.problems.add(quotingProblem(text, cause));
        }
        return rows;
    }

    private static void row(
            Rows rows, long line, CSVRecord row, Map<String, Integer> header, Optional<Set<String>> domains) {
        int before = rows.problems.size();
        boolean ok = rows.address(
                line,
                get(row, header, "address"),
                domains,
                "write the full address in the address column, e.g. anna@example.org");
        Optional<Login> source = login(rows, line, row, header, "legacy");
        Optional<Login> target = login(rows, line, row, header, "new");
        if (ok && source.isPresent() && target.isPresent() && rows.problems.size() == before) {
            rows.accounts.add(new MailboxAccount(get(row, header, "address"), source.get(), target.get()));
        }
    }

    private static Optional<Login> login(
            Rows rows, long line, CSVRecord row, Map<String, Integer> header, String side) {
        String user = get(row, header, side + "_login");
        if (user.isBlank() && get(row, header, side + "_password").isEmpty()) {
            // An address-only row (self-service: the user gives the legacy password later; the new side by the
            // master user or a set-password hook): the login is the address.
            user = get(row, header, "address").strip();
        }
        boolean ok = true;
        if (user.isBlank()) {
            rows.problem(line, side + "_login is empty", "fill in the mailbox's user name on the " + side + " server");
            ok = false;
        }
        Login.Kind kind = Login.Kind.PASSWORD;
        try {
            kind = Login.Kind.of(get(row, header, side + "_auth"));
        } catch (IllegalArgumentException e) {
            rows.problem(
                    line,
                    side + "_auth '" + get(row, header, side + "_auth") + "' is not known",
                    "write password, xoauth2 or oauthbearer (or leave it empty for password)");
            ok = false;
        }
        return ok
                ? Optional.of(new Login(user, Secret.of(get(row, header, side + "_password")), kind))
                : Optional.empty();
    }

    /** A CSV syntax error: the commons-csv lexer stops there, so this is the last problem of the file. */
    private static InvalidMailboxList.Problem quotingProblem(String text, IOException e) {
        long open = unclosedQuoteLine(text);
        if (open > 0) {
            return new InvalidMailboxList.Problem(
                    open,
                    "a quoted field opened on this line is never closed,"
                            + " so every line after it was read as part of that field",
                    "add the closing \" (a \" inside a quoted field is written \"\")");
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher m = LINE_IN_MESSAGE.matcher(message);
        long line = m.find() ? Long.parseLong(m.group(1)) : 0;
        return new InvalidMailboxList.Problem(
                line,
                "the CSV cannot be read here (a character after a closing \"?)",
                "enclose a field that contains , or \" in \"...\" and double every \" inside it (RFC 4180)");
    }

    /** The line where an RFC 4180 quoted field opens and never closes; 0 when every quote closes. */
    static long unclosedQuoteLine(String text) {
        long line = 1;
        long openedOn = 0;
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                    }
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                openedOn = line;
            }
            if (c == '\n') {
                line++;
            }
            if (!quoted) {
                fieldStart = c == ',' || c == '\n';
            }
        }
        return quoted ? openedOn : 0;
    }

    private static long[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToLong(Integer::longValue).toArray();
    }

    private static long lineOf(long[] lineStarts, long position) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1L;
    }

    private static boolean extraFieldsEmpty(CSVRecord row, int columns) {
        for (int i = columns; i < row.size(); i++) {
            if (!row.get(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String get(CSVRecord row, Map<String, Integer> header, String column) {
        Integer index = header.get(column);
        if (index == null || index >= row.size()) {
            return "";
        }
        return row.get(index);
    }

    private static Rows parseColonList(String text, Optional<Set<String>> domains) {
        Rows rows = new Rows();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            long number = i + 1L;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int first = line.indexOf(':');
            if (first <= 0) {
                rows.problem(
                        number,
                        first == 0 ? "the user before the first ':' is empty" : "there is no ':' after the user",
                        "write user:password[:address] (or start the file with the CSV header "
                                + String.join(",", REQUIRED) + ")");
                continue;
            }
            String user = line.substring(0, first);
            String rest = line.substring(first + 1);
            String address = user;
            int last = rest.lastIndexOf(':');
            if (last >= 0 && rest.substring(last + 1).contains("@")) {
                address = rest.substring(last + 1);
                rest = rest.substring(0, last);
            }
            if (rows.address(
                    number,
                    address,
                    domains,
                    "add the address after the password: " + user + ":<password>:"
                            + (address.contains("@") ? address : user + "@example.org"))) {
                rows.accounts.add(new MailboxAccount(address, Login.password(user, rest), Login.password(user, rest)));
            }
        }
        return rows;
    }

    private static String readAll(Reader reader) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (BufferedReader br = new BufferedReader(reader)) {
            char[] buf = new char[8192];
            int n;
            while ((n = br.read(buf)) > 0) {
                sb.append(buf, 0, n);
            }
        }
        String s = sb.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
