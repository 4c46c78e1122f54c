package io.mxcutover.relay.smtp;

import java.net.IDN;
import java.util.Locale;

/**
 * Strict parser for the path of RCPT TO (RFC 5321 §4.1.2 {@code Forward-path}, RFC 6531 local
 * parts), written for a relay that must not be tricked into routing: it returns either a
 * {@link Valid} mailbox or an {@link Invalid} with the reply to send.
 *
 * <p>Refused as routing attempts (550 5.7.1, like Postfix's {@code allow_untrusted_routing = no}
 * and {@code resolve_dequoted_address = yes}): source routes {@code @a,@b:u@d} (we neither strip
 * nor honour them), {@code %} and {@code !} in the local part (quoted or not), an {@code @} inside
 * a quoted local part, more than one {@code @}, address literals {@code u@[1.2.3.4]}.
 * Refused as syntax (501 5.1.3): everything else that is not a dot-atom or quoted-string local
 * part followed by one host name, including a trailing dot and over-long parts.
 */
public final class AddressSyntax {

    /** Why an address was refused; also the metric tag. */
    public enum Problem {
        SYNTAX,
        ROUTING
    }

    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(MailAddress address) implements Parsed {}

    public record Invalid(Problem problem, SmtpReply reply) implements Parsed {}

    private static final int MAX_PATH = 256;
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;
    private static final String SPECIAL_ATEXT = "#$&'*+-/=?^_`{|}~";

    private AddressSyntax() {}

    public static Parsed parseRecipient(String raw) {
        if (raw == null || raw.isEmpty()) {
            return syntax("Empty recipient address");
        }
        String path = raw;
        if (path.length() >= 2 && path.charAt(0) == '<' && path.charAt(path.length() - 1) == '>') {
            path = path.substring(1, path.length() - 1);
        }
        if (path.isEmpty()) {
            return syntax("Empty recipient address");
        }
        if (path.length() > MAX_PATH) {
            return syntax("Recipient address too long");
        }
        if (path.charAt(0) == '@') {
            return routing("Source routes are not accepted");
        }
        int at;
        String local;
        if (path.charAt(0) == '"') {
            int end = endOfQuotedString(path);
            if (end < 0) {
                return syntax("Unterminated or invalid quoted local part");
            }
            local = path.substring(0, end + 1);
            String content = local.substring(1, local.length() - 1);
            if (content.indexOf('@') >= 0 || content.indexOf('%') >= 0 || content.indexOf('!') >= 0) {
                return routing("Routing characters inside a quoted local part are not accepted");
            }
            if (end + 1 >= path.length() || path.charAt(end + 1) != '@') {
                return syntax("Quoted local part must be followed by @domain");
            }
            at = end + 1;
        } else {
            at = path.indexOf('@');
            local = at < 0 ? path : path.substring(0, at);
            Parsed problem = checkDotAtom(local);
            if (problem != null) {
                return problem;
            }
            if (at < 0) {
                return syntax("Recipient address needs a domain");
            }
        }
        if (local.length() > MAX_LOCAL + (local.startsWith("\"") ? 2 : 0)) {
            return syntax("Local part too long");
        }
        String domain = path.substring(at + 1);
        if (domain.indexOf('@') >= 0) {
            return routing("Sender-specified routing (user@host@domain) is not accepted");
        }
        if (domain.startsWith("[")) {
            return routing("Address literals are not accepted");
        }
        String ascii = toAsciiDomain(domain);
        if (ascii == null) {
            return syntax("Invalid domain in recipient address");
        }
        return new Valid(new MailAddress(local, ascii));
    }

    /** True when every character is US-ASCII (an address that needs no SMTPUTF8). */
    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lower-cases A-Z only. {@code String.toLowerCase} folds some non-ASCII letters into ASCII
     * ones (the Kelvin sign U+212A becomes {@code k}), which would let a look-alike match a listed
     * mailbox or share its callout verdict; non-ASCII characters are compared as received.
     */
    public static String asciiLowerCase(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Returns the index of the closing quote of a quoted-string starting at 0, or -1. */
    private static int endOfQuotedString(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    return -1;
                }
                char next = s.charAt(i + 1);
                if (next < 0x20 || next == 0x7f) {
                    return -1;
                }
                i++;
            } else if (c == '"') {
                return i;
            } else if (c < 0x20 || c == 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    private static Parsed checkDotAtom(String local) {
        if (local.isEmpty()) {
            return syntax("Empty local part");
        }
        if (local.charAt(0) == '.' || local.charAt(local.length() - 1) == '.' || local.contains("..")) {
            return syntax("Misplaced dot in local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '%') {
                return routing("Percent-hack routing is not accepted");
            }
            if (c == '!') {
                return routing("Bang-path routing is not accepted");
            }
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || SPECIAL_ATEXT.indexOf(c) >= 0
                    || (c >= 0x80 && !Character.isISOControl(c) && !Character.isWhitespace(c));
            if (!ok) {
                return syntax("Invalid character in local part");
            }
        }
        return null;
    }

    /** Host name to lower-case A-labels, or null if it is not a valid host name. */
    static String toAsciiDomain(String domain) {
        if (domain.isEmpty() || domain.endsWith(".") || domain.startsWith(".")) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN) {
            return null;
        }
        // IDNA2003 (java.net.IDN) maps some characters to others (faß -> fass, full-width letters
        // and dots): a U-label domain must come back from its A-labels as received (up to case),
        // or the relay would route, and forward, to another domain than the one the client named.
        if (!isAscii(domain)
                && !IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES)
                        .equals(java.text.Normalizer.normalize(domain, java.text.Normalizer.Form.NFC)
                                .toLowerCase(Locale.ROOT))) {
            return null;
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return null;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    return null;
                }
            }
        }
        return ascii;
    }

    private static Invalid syntax(String text) {
        return new Invalid(Problem.SYNTAX, SmtpReply.of(501, "5.1.3", text));
    }

    private static Invalid routing(String text) {
        return new Invalid(Problem.ROUTING, SmtpReply.of(550, "5.7.1", text));
    }
}
