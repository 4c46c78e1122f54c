package io.mxcutover.dnscheck.cli;

import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.NameServer;
import io.mxcutover.dnscheck.propagation.SpfExpectation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What {@code mxcutover dnscheck} was asked. {@code resolvers} empty means the public
 * default list; {@code authoritative} empty means NS discovery through the first resolver.
 * {@code preflightPort} runs the SMTP preflight of the expected hosts; {@code dnssec} asks
 * the first resolver (which must validate-capable: return DNSSEC records) through dnsjava's
 * validator; {@code plan} prints the records to publish.
 */
public record DnsCheckOptions(ExpectedMx expected, SpfExpectation spf, List<NameServer> resolvers,
                              List<NameServer> authoritative, int authoritativePort, Duration timeout,
                              boolean edns, boolean json, OptionalInt preflightPort, boolean dnssec,
                              boolean plan) {

    public DnsCheckOptions {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(spf, "spf");
        resolvers = List.copyOf(resolvers);
        authoritative = List.copyOf(authoritative);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(preflightPort, "preflightPort");
    }

    /** Defaults: public resolvers, NS discovery on port 53, 3 s per query, EDNS on, text output. */
    public static DnsCheckOptions of(ExpectedMx expected) {
        return new DnsCheckOptions(expected, SpfExpectation.NONE, List.of(), List.of(), 53, Duration.ofSeconds(3),
                true, false, OptionalInt.empty(), false, false);
    }
}
