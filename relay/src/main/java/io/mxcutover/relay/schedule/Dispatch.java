package io.mxcutover.relay.schedule;

import io.mxcutover.relay.forward.Outcome;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.Route;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.SpoolEntry;
import java.util.List;
import java.util.Objects;

/**
 * What one pending recipient's attempt is, given its route: forwarded to a list of targets, or
 * kept queued with a reason for the admin. A bounce to a domain outside the plan goes through the
 * bounce relay (a smart host) when one is configured; this relay never looks up MX records.
 * Pure; see {@link #of}.
 */
public sealed interface Dispatch permits Dispatch.Forward, Dispatch.Keep {

    /**
     * Send to {@code targets}, tried in order. Recipients with equal {@code Forward}s travel in one
     * SMTP transaction: this record is the scheduler's grouping key.
     */
    record Forward(List<NextHop> targets, boolean softBounce) implements Dispatch {
        public Forward {
            targets = List.copyOf(targets);
        }
    }

    /** Not tried in this attempt: the recipient's outcome is this deferral (with an admin alert). */
    record Keep(Outcome.Deferred outcome) implements Dispatch {
        public Keep {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * @param origin      where the message came from: a bounce this relay made may leave the plan's
     *                    domains, mail received by SMTP never does
     * @param bounceRelay the smart host(s) for bounces to domains outside the plan; empty for none
     */
    static Dispatch of(MailAddress recipient, Route route, SpoolEntry.Origin origin, List<NextHop> bounceRelay) {
        if (route instanceof Route.Hold h) {
            return new Keep(Outcome.Deferred.alert(h.reason()));
        }
        if (route instanceof Route.NotOurs n) {
            if (origin != SpoolEntry.Origin.BOUNCE) {
                return new Keep(Outcome.Deferred.alert(
                        "domain " + n.domain() + " is no longer in the migration plan; message kept queued"));
            }
            if (bounceRelay.isEmpty()) {
                return new Keep(Outcome.Deferred.alert("bounce to " + recipient + " needs a bounce relay (smart host): "
                        + "this relay does no MX lookups; configure relay.bounceRelay"));
            }
            return new Forward(bounceRelay, false);
        }
        return new Forward(route.targets(), route.softBounce());
    }
}
