package io.mxcutover.relay.smtp;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply: the three-digit code, an optional RFC 3463 enhanced status code and the text.
 * Multi-line replies are kept as their last line's text joined by a space.
 */
public record SmtpReply(int code, String enhanced, String text) {

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code out of range: " + code);
        }
        enhanced = enhanced == null ? "" : enhanced;
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("SMTP reply text must be one line");
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, text);
    }

    /** Parses "550 5.1.1 text" or "550 text" (text after the code, as servers send it). */
    public static SmtpReply parse(int code, String line) {
        String rest = line == null ? "" : line.strip();
        if (rest.length() >= 3 && rest.substring(0, 3).chars().allMatch(Character::isDigit)) {
            rest = rest.substring(3);
            if (!rest.isEmpty() && (rest.charAt(0) == ' ' || rest.charAt(0) == '-')) {
                rest = rest.substring(1);
            }
        }
        rest = rest.replace('\r', ' ').replace('\n', ' ').strip();
        Matcher m = ENHANCED.matcher(rest);
        if (m.find()) {
            String enh = m.group(1) + "." + m.group(2) + "." + m.group(3);
            return new SmtpReply(code, enh, rest.substring(m.end()).strip());
        }
        return new SmtpReply(code, "", rest);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The text SubEthaSMTP's RejectException needs after the code: "5.1.1 text". */
    public String textWithEnhanced() {
        return enhanced.isEmpty() ? text : enhanced + " " + text;
    }

    @Override
    public String toString() {
        return code + " " + textWithEnhanced();
    }
}
