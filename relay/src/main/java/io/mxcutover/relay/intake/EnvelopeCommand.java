package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics.Rejection;
import io.mxcutover.relay.smtp.AddressSyntax;
import io.mxcutover.relay.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Decides the argument of MAIL FROM, RCPT TO and HELO/EHLO before SubEthaSMTP sees them: the
 * library keeps only {@code SIZE=} and answers 250 to any other parameter, so a client could
 * believe the relay honours what it silently drops. Pure.
 *
 * <p>MAIL FROM takes {@code SIZE=n}, {@code BODY=7BIT|8BITMIME} and {@code SMTPUTF8} (RFC 1870,
 * 6152, 6531: what {@link Ehlo} advertises); RCPT TO takes none (no DSN). Anything else is
 * {@code 555 5.5.4} (RFC 5321 §4.1.1.11), a malformed or repeated one {@code 501 5.5.4}. A path
 * with non-ASCII characters is accepted only in a transaction whose MAIL FROM carried
 * {@code SMTPUTF8}, else {@code 553 5.6.7} (RFC 6531 §3.4): the relay never sends such an
 * address on in another encoding. HELO/EHLO arguments must be ASCII: the extension is not
 * negotiated yet, and the name lands in the Received header of messages that may be plain ASCII.
 */
public final class EnvelopeCommand {

    public sealed interface Parsed permits Accepted, Refused {}

    /**
     * A MAIL or RCPT argument the relay serves.
     *
     * @param path     the address between the angle brackets ({@code ""} for {@code <>})
     * @param size     the declared SIZE, when given
     * @param smtputf8 MAIL FROM carried {@code SMTPUTF8} (always false for RCPT)
     * @param eightBitMime MAIL FROM carried {@code BODY=8BITMIME}
     */
    public record Accepted(String path, OptionalLong size, boolean smtputf8, boolean eightBitMime) implements Parsed {}

    public record Refused(SmtpReply reply) implements Parsed {}

    private EnvelopeCommand() {}

    /** Parses a whole {@code MAIL FROM:} command line. */
    public static Parsed mail(String line) {
        Split split = split(line, "MAIL", "FROM:");
        if (split.refused != null) {
            return split.refused;
        }
        OptionalLong size = OptionalLong.empty();
        boolean smtputf8 = false;
        boolean eightBitMime = false;
        Set<String> seen = new HashSet<>();
        for (String param : split.params) {
            int eq = param.indexOf('=');
            String keyword = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(param.substring(eq + 1));
            if (!seen.add(keyword)) {
                return syntax("Parameter " + keyword + " given twice");
            }
            switch (keyword) {
                case "SIZE" -> {
                    if (value.isEmpty() || !value.get().matches("[0-9]{1,20}")) {
                        return syntax("Bad SIZE parameter: SIZE=<number of bytes>");
                    }
                    try {
                        size = OptionalLong.of(Long.parseLong(value.get()));
                    } catch (NumberFormatException e) {
                        size = OptionalLong.of(Long.MAX_VALUE);
                    }
                }
                case "BODY" -> {
                    String v = value.orElse("").toUpperCase(Locale.ROOT);
                    if (v.equals("BINARYMIME")) {
                        return unsupported("BODY=BINARYMIME (BINARYMIME is not offered)");
                    }
                    if (!v.equals("7BIT") && !v.equals("8BITMIME")) {
                        return syntax("Bad BODY parameter: BODY=7BIT or BODY=8BITMIME");
                    }
                    eightBitMime = v.equals("8BITMIME");
                }
                case "SMTPUTF8" -> {
                    if (value.isPresent()) {
                        return syntax("SMTPUTF8 takes no value");
                    }
                    smtputf8 = true;
                }
                default -> {
                    return unsupported(keyword);
                }
            }
        }
        if (!smtputf8 && !isAscii(split.path)) {
            return new Refused(
                    SmtpReply.of(553, "5.6.7", "Must declare SMTPUTF8 in MAIL FROM to send a UTF-8 address"));
        }
        return new Accepted(split.path, size, smtputf8, eightBitMime);
    }

    /** Parses a whole {@code RCPT TO:} command line of a transaction that did or did not declare SMTPUTF8. */
    public static Parsed rcpt(String line, boolean smtputf8) {
        Split split = split(line, "RCPT", "TO:");
        if (split.refused != null) {
            return split.refused;
        }
        if (!split.params.isEmpty()) {
            String p = split.params.iterator().next();
            int eq = p.indexOf('=');
            return unsupported((eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT));
        }
        if (!smtputf8 && !isAscii(split.path)) {
            return new Refused(
                    SmtpReply.of(553, "5.6.7", "Must declare SMTPUTF8 in MAIL FROM to send to a UTF-8 address"));
        }
        return new Accepted(split.path, OptionalLong.empty(), false, false);
    }

    /** The metric a refusal counts under. */
    public static Rejection reason(SmtpReply reply) {
        return switch (reply.code()) {
            case 553 -> Rejection.UNDECLARED_UTF8;
            case 555 -> Rejection.UNSUPPORTED_PARAMETER;
            case 552 -> Rejection.OVERSIZE;
            default -> Rejection.BAD_SYNTAX;
        };
    }

    /** The reply refusing a HELO/EHLO argument, or empty when it is acceptable. */
    public static Optional<SmtpReply> helo(String argument) {
        if (argument == null || argument.isEmpty()) {
            return Optional.of(SmtpReply.of(501, "5.5.4", "Syntax: EHLO hostname"));
        }
        if (!isAscii(argument)) {
            return Optional.of(SmtpReply.of(501, "5.5.4", "HELO/EHLO name must be ASCII (use A-labels, xn--)"));
        }
        return Optional.empty();
    }

    /** True when every character is US-ASCII. */
    public static boolean isAscii(String s) {
        return AddressSyntax.isAscii(s);
    }

    private record Split(String path, List<String> params, Refused refused) {}

    /**
     * Splits {@code VERB KEY:<path> params}. The path may be unbracketed (as Postfix's default
     * {@code strict_rfc821_envelopes = no} allows); a bracketed path ends at the first {@code >}
     * outside a quoted string.
     */
    private static Split split(String line, String verb, String key) {
        String rest = line == null ? "" : line.strip();
        if (rest.length() < verb.length() + 1 + key.length()
                || !rest.regionMatches(true, 0, verb, 0, verb.length())
                || !rest.regionMatches(true, verb.length() + 1, key, 0, key.length())
                || rest.charAt(verb.length()) != ' ') {
            return new Split(
                    null, null, new Refused(SmtpReply.of(501, "5.5.4", "Syntax: " + verb + " " + key + "<address>")));
        }
        rest = rest.substring(verb.length() + 1 + key.length()).stripLeading();
        String path;
        String tail;
        if (rest.startsWith("<")) {
            int end = endOfPath(rest);
            if (end < 0) {
                return new Split(
                        null,
                        null,
                        new Refused(SmtpReply.of(
                                501,
                                "5.5.4",
                                "Syntax: " + verb + " " + key + "<address> (unbalanced angle brackets)")));
            }
            path = rest.substring(1, end);
            tail = rest.substring(end + 1);
            if (!tail.isEmpty() && tail.charAt(0) != ' ') {
                return new Split(
                        null,
                        null,
                        new Refused(
                                SmtpReply.of(501, "5.5.4", "Syntax: " + verb + " " + key + "<address> [parameters]")));
            }
        } else if (rest.isEmpty()) {
            // "MAIL FROM:" is not the null sender: that is written "<>"
            return new Split(
                    null, null, new Refused(SmtpReply.of(501, "5.5.4", "Syntax: " + verb + " " + key + "<address>")));
        } else {
            int sp = rest.indexOf(' ');
            path = sp < 0 ? rest : rest.substring(0, sp);
            tail = sp < 0 ? "" : rest.substring(sp);
        }
        List<String> params = new ArrayList<>();
        for (String p : tail.strip().split(" +")) {
            if (p.isEmpty()) {
                continue;
            }
            if (!isAscii(p) || p.startsWith("=")) {
                return new Split(null, null, new Refused(SmtpReply.of(501, "5.5.4", "Malformed parameter")));
            }
            params.add(p);
        }
        return new Split(path, params, null);
    }

    /** Index of the {@code >} closing a path that starts with {@code <}, skipping quoted strings; -1 if none. */
    private static int endOfPath(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static Refused syntax(String text) {
        return new Refused(SmtpReply.of(501, "5.5.4", text));
    }

    private static Refused unsupported(String keyword) {
        return new Refused(SmtpReply.of(555, "5.5.4", "Unsupported option: " + keyword));
    }
}
