package io.mxcutover.appliance.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One alert: what happened, to which domain (and mailbox), in words, and when.
 *
 * @param id the same on every delivery attempt of this alert ({@code X-Mxcutover-Delivery}), so a receiver
 *     can drop a duplicate
 * @param domain the domain, or {@code *} for what the relay counts over every domain (bounces)
 */
public record Alert(String id, AlertEvent event, String domain, Optional<String> mailbox, String detail, Instant at) {
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mailbox, "mailbox");
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(at, "at");
    }

    public static Alert of(AlertEvent event, String domain, Optional<String> mailbox, String detail, Instant at) {
        return new Alert(UUID.randomUUID().toString(), event, domain, mailbox, detail, at);
    }

    /** Without the id (for comparing alerts in tests and logs). */
    @Override
    public String toString() {
        return event + " " + domain + mailbox.map(m -> " " + m).orElse("") + ": " + detail;
    }
}
