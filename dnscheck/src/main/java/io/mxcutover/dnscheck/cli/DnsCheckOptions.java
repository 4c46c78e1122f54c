package io.mxcutover.dnscheck.cli;

import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What {@code mxcutover dnscheck} was asked. {@code resolvers} empty means the public
 * default list; {@code authoritative} empty means NS discovery through the first resolver.
 * {@code preflightPort} runs the SMTP preflight of the expected hosts; {@code dnssec} asks
 * the first resolver (which must validate-capable: return DNSSEC records) through dnsjava's
 * validator, from the root's trust anchor and {@code trustAnchors} (zone-file DS/DNSKEY
 * lines); {@code plan} prints the records to publish.
 */
public record DnsCheckOptions(
        ExpectedMx expected,
        SpfExpectation spf,
        List<NameServer> resolvers,
        List<NameServer> authoritative,
        int authoritativePort,
        Duration timeout,
        boolean edns,
        boolean json,
        OptionalInt preflightPort,
        boolean dnssec,
        boolean plan,
        List<String> trustAnchors) {

    public DnsCheckOptions {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(spf, "spf");
        resolvers = List.copyOf(resolvers);
        authoritative = List.copyOf(authoritative);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(preflightPort, "preflightPort");
        trustAnchors = List.copyOf(trustAnchors);
    }

    /** Without trust anchors of its own (the root's only). */
    public DnsCheckOptions(
            ExpectedMx expected,
            SpfExpectation spf,
            List<NameServer> resolvers,
            List<NameServer> authoritative,
            int authoritativePort,
            Duration timeout,
            boolean edns,
            boolean json,
            OptionalInt preflightPort,
            boolean dnssec,
            boolean plan) {
        this(
                expected,
                spf,
                resolvers,
                authoritative,
                authoritativePort,
                timeout,
                edns,
                json,
                preflightPort,
                dnssec,
                plan,
                List.of());
    }

    /** Defaults: public resolvers, NS discovery on port 53, 3 s per query, EDNS on, text output. */
    public static DnsCheckOptions of(ExpectedMx expected) {
        return new DnsCheckOptions(
                expected,
                SpfExpectation.NONE,
                List.of(),
                List.of(),
                53,
                Duration.ofSeconds(3),
                true,
                false,
                OptionalInt.empty(),
                false,
                false);
    }
}
