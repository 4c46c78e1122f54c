package io.mxcutover.dnscheck.cli;

import io.mxcutover.dnscheck.poll.LookupOutcome;

/** Test access to package-private helpers. */
public final class ReportViewAccess {
    private ReportViewAccess() {}

    public static Long ttl(LookupOutcome outcome) {
        return ReportView.ttl(outcome);
    }
}
