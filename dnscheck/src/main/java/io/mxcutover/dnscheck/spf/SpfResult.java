package io.mxcutover.dnscheck.spf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The SPF check of one set of TXT answers. */
public record SpfResult(Status status, Optional<String> record, List<String> missing, List<String> stillPresent) {

    public enum Status {
        /** Exactly one SPF record, with every required term and none of the forbidden ones. */
        OK,
        /** No {@code v=spf1} record (receivers treat the domain as having no policy). */
        NO_SPF,
        /** More than one {@code v=spf1} record: a permanent error for receivers (RFC 7208 §4.5). */
        MULTIPLE_SPF,
        /** The new provider's include/redirect is missing. */
        MISSING_REQUIRED,
        /** The old provider's term is still there although it should be gone. */
        OLD_STILL_PRESENT,
        /** The TXT lookup itself failed. */
        UNKNOWN
    }

    public SpfResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(record, "record");
        missing = List.copyOf(missing);
        stillPresent = List.copyOf(stillPresent);
    }
}
