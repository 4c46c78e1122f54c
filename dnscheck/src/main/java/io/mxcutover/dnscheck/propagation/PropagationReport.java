package io.mxcutover.dnscheck.propagation;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of one poll. {@code resolversOnNew} of {@code resolversAnswering} resolvers
 * show the new set (the "k of n" of PROPAGATING); {@code reason} says in a mail admin's
 * words why the verdict is what it is.
 */
public record PropagationReport(
        String domain,
        Verdict verdict,
        int resolversOnNew,
        int resolversAnswering,
        List<ServerStatus> servers,
        String reason) {

    public PropagationReport {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(verdict, "verdict");
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        Objects.requireNonNull(reason, "reason");
        if (resolversOnNew < 0 || resolversOnNew > resolversAnswering) {
            throw new IllegalArgumentException("resolversOnNew must be 0.." + resolversAnswering);
        }
    }
}
