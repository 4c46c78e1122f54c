package io.mxcutover.appliance.facts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The DNS watcher's word on a set of MX hosts that should leave a domain's MX: {@code at} is when they
 * may be switched off (no authoritative server or watched resolver returns them any more, plus the TTL
 * a cache may keep them), empty while that is not known, with the reason.
 */
public record HostsGone(Optional<Instant> at, String reason) {

    public static final HostsGone UNKNOWN = new HostsGone(Optional.empty(), "the DNS watcher is not wired");

    public HostsGone {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
