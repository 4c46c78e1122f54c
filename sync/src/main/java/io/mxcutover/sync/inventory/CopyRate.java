package io.mxcutover.sync.inventory;

import java.util.Locale;
import java.util.Objects;

/**
 * How fast one mailbox stream copies (one mailbox pass: a FETCH session on legacy and an APPEND session on new),
 * and where the figure comes from, in that order of preference: this appliance's own passes against the same
 * servers ({@code MEASURED}), a short timed copy of real messages into a scratch folder ({@code SAMPLE}), or
 * {@link #DEFAULT}.
 */
public record CopyRate(double messagesPerSecond, double bytesPerSecond, Source source, String basis) {
    public enum Source {
        MEASURED,
        SAMPLE,
        DEFAULT
    }

    /**
     * Used when nothing was measured: 10 messages/s and 200 kB/s per mailbox stream, about 720 MB an hour, the
     * middle of what hosted IMAP migration services publish per mailbox (MigrationWiz 250 MB to 1.25 GB an hour
     * per user; Exchange Online 10-14 GB an hour at 20 mailboxes at a time).
     */
    public static final CopyRate DEFAULT = new CopyRate(
            10,
            200_000,
            Source.DEFAULT,
            "documented default: 10 messages/s and 200 kB/s per mailbox (no pass of this appliance and no sample"
                    + " copy to measure)");

    public CopyRate {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(basis, "basis");
        if (!(messagesPerSecond > 0) || !(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("a copy rate must be positive: " + messagesPerSecond + " messages/s, "
                    + bytesPerSecond + " bytes/s");
        }
    }

    /** {@code 12.5 messages/s, 830 kB/s}. */
    public String describe() {
        return String.format(Locale.ROOT, "%.1f messages/s, %.0f kB/s", messagesPerSecond, bytesPerSecond / 1000);
    }
}
