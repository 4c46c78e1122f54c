package io.mxcutover.dnscheck.propagation;

import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import java.util.Objects;

/** One server's observation and what its MX answer means. */
public record ServerStatus(Observation observation, MxView view) {

    public ServerStatus {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(view, "view");
    }

    public NameServer server() {
        return observation.server();
    }
}
