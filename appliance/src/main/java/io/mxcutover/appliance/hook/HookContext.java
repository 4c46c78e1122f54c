package io.mxcutover.appliance.hook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One occurrence of an event, as a hook is told about it. {@code detail}: a short text for a person
 * ("3 additional messages in 2 mailboxes", the server's words of a failure); never a secret.
 */
public record HookContext(
        HookEvent event, String domain, Optional<String> mailbox, Optional<String> batch, String detail, Instant at) {
    public HookContext {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(domain, "domain");
        mailbox = mailbox == null ? Optional.empty() : mailbox;
        batch = batch == null ? Optional.empty() : batch;
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(at, "at");
    }

    /** The variables a hook gets (besides PATH and LANG); a variable without a value is left out. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MXCUTOVER_EVENT", event.word());
        env.put("MXCUTOVER_DOMAIN", domain);
        mailbox.ifPresent(m -> env.put("MXCUTOVER_MAILBOX", m));
        batch.ifPresent(b -> env.put("MXCUTOVER_BATCH", b));
        if (!detail.isEmpty()) {
            env.put("MXCUTOVER_DETAIL", detail);
        }
        env.put("MXCUTOVER_AT", at.toString());
        return env;
    }

    @Override
    public String toString() {
        return event.word() + " "
                + mailbox.or(() -> batch.map(b -> "batch " + b)).orElse(domain);
    }
}
