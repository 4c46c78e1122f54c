package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import java.util.List;
import java.util.Objects;

/**
 * A domain to watch. {@code authoritative} empty means "find them through NS records via the
 * first resolver" (on {@code authoritativePort}, 53 in production); given, it skips
 * discovery (split-horizon setups, tests).
 */
public record WatchedDomain(
        ExpectedMx expected,
        SpfExpectation spf,
        List<NameServer> authoritative,
        List<NameServer> resolvers,
        int authoritativePort) {

    public WatchedDomain {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(spf, "spf");
        authoritative = List.copyOf(authoritative);
        resolvers = List.copyOf(resolvers);
        for (NameServer s : authoritative) {
            if (!s.authoritative()) {
                throw new IllegalArgumentException(s.label() + " is listed as authoritative but has role " + s.role());
            }
        }
        for (NameServer s : resolvers) {
            if (s.authoritative()) {
                throw new IllegalArgumentException(s.label() + " is listed as resolver but has role " + s.role());
            }
        }
        if (authoritative.isEmpty() && resolvers.isEmpty()) {
            throw new IllegalArgumentException("watching " + expected.domain()
                    + " needs a resolver to find its name servers, or authoritative servers");
        }
    }

    public String domain() {
        return expected.domain();
    }
}
