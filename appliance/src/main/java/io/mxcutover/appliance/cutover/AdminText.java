package io.mxcutover.appliance.cutover;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** How times, durations and lists read in reasons and audit text: short, UTC, the way an admin writes them. */
public final class AdminText {

    private static final int LISTED = 5;

    private AdminText() {}

    /** {@code 2026-11-20T10:00Z}; seconds only when they are not zero. */
    public static String at(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC) + "Z";
    }

    /** {@code 48h}, {@code 1h30m}, {@code 90s}, {@code 2d} (whole days only when exact). */
    public static String span(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0 && seconds >= 7 * 86_400) {
            return seconds / 86_400 + "d";
        }
        StringBuilder text = new StringBuilder();
        append(text, seconds / 3600, "h");
        append(text, seconds % 3600 / 60, "m");
        append(text, seconds % 60, "s");
        return text.length() == 0 ? duration.toString() : text.toString();
    }

    /** The first few items, then "and N more", so a reason stays one line for a domain with 5,000 mailboxes. */
    public static String firstFew(List<String> items) {
        if (items.size() <= LISTED) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, LISTED)) + " and " + (items.size() - LISTED) + " more";
    }

    /** "1 message", "3 messages". */
    public static String count(long count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }

    /** Reasons are free text for the audit log; a missing one is recorded as such rather than refused. */
    static String reason(String reason) {
        return reason == null || reason.isBlank() ? "" : reason.strip();
    }

    static String quoted(String reason) {
        return reason.isEmpty() ? "no reason given" : "\"" + reason + "\"";
    }

    static void require(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }
}
