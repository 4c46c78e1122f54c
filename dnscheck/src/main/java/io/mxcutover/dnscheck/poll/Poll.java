package io.mxcutover.dnscheck.poll;

import io.mxcutover.dnscheck.propagation.MxHost;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Every server's answers for one domain, asked together at {@code at}. */
public record Poll(String domain, Instant at, List<Observation> observations) {

    public Poll {
        domain = MxHost.normalizeHost(Objects.requireNonNull(domain, "domain"));
        Objects.requireNonNull(at, "at");
        observations = List.copyOf(Objects.requireNonNull(observations, "observations"));
    }
}
