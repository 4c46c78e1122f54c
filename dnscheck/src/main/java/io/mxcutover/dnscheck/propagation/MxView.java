package io.mxcutover.dnscheck.propagation;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.ServerReply;

/** What one server's MX answer means for the cutover. */
public enum MxView {
    /** The expected set. */
    NEW,
    /** The legacy set (or, while the legacy set is unknown, any set that is not the new one). */
    OLD,
    /** A set that is neither the new nor the known legacy one (half-edited zone, typo). */
    OTHER,
    /** NODATA or NXDOMAIN: no MX at all. */
    ABSENT,
    /** No usable answer: SERVFAIL, REFUSED, timeout, network error. */
    FAILED,
    /** An authoritative server answered without the AA flag: lame delegation or wrong server. */
    LAME;

    public static MxView of(ExpectedMx expected, NameServer server, ServerReply reply) {
        LookupOutcome outcome = reply.outcome();
        if (!outcome.answered()) {
            return FAILED;
        }
        if (server.authoritative() && !reply.authoritativeAnswer()) {
            return LAME;
        }
        if (!(outcome instanceof LookupOutcome.NoError noError)) {
            return ABSENT;
        }
        var hosts = Propagation.mxHosts(noError);
        if (hosts.equals(expected.expectedHosts())) {
            return NEW;
        }
        if (!expected.legacyKnown() || hosts.equals(expected.legacyHosts())) {
            return OLD;
        }
        return OTHER;
    }
}
