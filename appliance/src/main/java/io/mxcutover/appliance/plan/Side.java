package io.mxcutover.appliance.plan;

import java.util.List;

/**
 * One side of a domain's migration as the admin names it: the {@code legacy} or the {@code new} server.
 *
 * @param smtp next hops the relay delivers to, tried in order
 * @param imap where the sync reads (legacy) or writes (new) mailboxes; absent when not configured
 * @param mx   the MX host names of this side (for {@code new}: the hosts the domain is moving to)
 * @param spf  SPF mechanisms of this side's provider, as written (e.g. {@code include:spf.new-provider.example});
 *             for {@code new}: must be in the domain's SPF record; for {@code legacy}: must be gone when the
 *             domain says {@code requireLegacySpfGone}
 */
public record Side(List<PlanHostPort> smtp, java.util.Optional<PlanImapUrl> imap, List<String> mx, List<String> spf) {
    public Side {
        smtp = List.copyOf(smtp);
        mx = List.copyOf(mx);
        spf = List.copyOf(spf);
    }

    /** A side without SPF expectation. */
    public Side(List<PlanHostPort> smtp, java.util.Optional<PlanImapUrl> imap, List<String> mx) {
        this(smtp, imap, mx, List.of());
    }
}
