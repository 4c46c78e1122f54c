package io.mxcutover.sync.mailbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a mailbox list in one of two formats.
 *
 * <p>CSV with a header row, RFC 4180 quoting: {@code address,legacy_login,legacy_password,new_login,new_password}
 * and optional {@code legacy_auth,new_auth} ({@code password} or {@code xoauth2}; with
 * {@code xoauth2} the password column holds the bearer token). Column order is free.
 *
 * <p>The {@code user:pass[:alias]} list that bulk tools use (one per line, {@code #} comments):
 * the same login and password on both sides; the alias (an address) names the mailbox, else
 * the user does. The password may itself contain {@code :} when no alias follows: the alias is
 * only taken when the last field contains {@code @}.
 *
 * <p>Errors name the line and the column, never the password.
 */
public final class MailboxCsv {
    private static final List<String> REQUIRED =
            List.of("address", "legacy_login", "legacy_password", "new_login", "new_password");

    private MailboxCsv() {
    }

    public static List<MailboxAccount> parse(Reader reader) throws IOException {
        String text = readAll(reader);
        String firstLine = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
        if (firstLine.toLowerCase(Locale.ROOT).replace("\"", "").startsWith("address,")
                || firstLine.toLowerCase(Locale.ROOT).contains("legacy_login")) {
            return parseCsv(text);
        }
        return parseColonList(text);
    }

    private static List<MailboxAccount> parseCsv(String text) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true).setTrim(true).setIgnoreEmptyLines(true)
                .setCommentMarker('#').get();
        List<MailboxAccount> result = new ArrayList<>();
        Map<String, Long> seen = new LinkedHashMap<>();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            Map<String, Integer> header = new LinkedHashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.trim().toLowerCase(Locale.ROOT), v));
            for (String column : REQUIRED) {
                if (!header.containsKey(column)) {
                    throw new IllegalArgumentException("mailbox CSV: header row lacks column '" + column
                            + "' (expected " + String.join(",", REQUIRED) + ")");
                }
            }
            for (CSVRecord row : parser) {
                long line = row.getParser().getCurrentLineNumber();
                try {
                    Login source = new Login(get(row, header, "legacy_login"), Secret.of(get(row, header, "legacy_password")),
                            Login.Kind.of(get(row, header, "legacy_auth")));
                    Login target = new Login(get(row, header, "new_login"), Secret.of(get(row, header, "new_password")),
                            Login.Kind.of(get(row, header, "new_auth")));
                    MailboxAccount account = new MailboxAccount(get(row, header, "address"), source, target);
                    Long previous = seen.putIfAbsent(account.address(), line);
                    if (previous != null) {
                        throw new IllegalArgumentException("address " + account.address()
                                + " already listed on line " + previous);
                    }
                    result.add(account);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mailbox CSV line " + line + ": " + e.getMessage(), e);
                }
            }
        }
        return result;
    }

    private static String get(CSVRecord row, Map<String, Integer> header, String column) {
        Integer index = header.get(column);
        if (index == null || index >= row.size()) {
            return "";
        }
        return row.get(index);
    }

    private static List<MailboxAccount> parseColonList(String text) {
        List<MailboxAccount> result = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int first = line.indexOf(':');
            if (first <= 0) {
                throw new IllegalArgumentException("mailbox list line " + (i + 1)
                        + ": expected user:password[:address], found no ':' after the user");
            }
            String user = line.substring(0, first);
            String rest = line.substring(first + 1);
            String address = user;
            int last = rest.lastIndexOf(':');
            if (last >= 0 && rest.substring(last + 1).contains("@")) {
                address = rest.substring(last + 1);
                rest = rest.substring(0, last);
            }
            MailboxAccount account = new MailboxAccount(address, Login.password(user, rest), Login.password(user, rest));
            Integer previous = seen.putIfAbsent(account.address(), i + 1);
            if (previous != null) {
                throw new IllegalArgumentException("mailbox list line " + (i + 1) + ": address "
                        + account.address() + " already listed on line " + previous);
            }
            result.add(account);
        }
        return result;
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

    public static List<MailboxAccount> parse(String text) throws IOException {
        return parse(new StringReader(text));
    }
}
