package io.mxcutover.relay.route;

import io.mxcutover.relay.smtp.MailAddress;
import java.util.List;
import java.util.Optional;

/** Where one recipient goes at this moment. See {@link #decide}. */
public sealed interface Route permits Route.ToLegacy, Route.ToNew, Route.Hold, Route.NotOurs {

    /** Deliver to the legacy server(s), tried in order. */
    record ToLegacy(String domain, List<NextHop> targets, boolean softBounce) implements Route {
        public ToLegacy {
            targets = List.copyOf(targets);
        }
    }

    /** Deliver to the new server(s), tried in order. */
    record ToNew(String domain, List<NextHop> targets, boolean softBounce) implements Route {
        public ToNew {
            targets = List.copyOf(targets);
        }
    }

    /** Ours, but nowhere to deliver now: keep the message queued and tell the admin why. */
    record Hold(String domain, String reason) implements Route {}

    /** Not a migrated domain: never accepted at RCPT, never delivered by MX lookup. */
    record NotOurs(String domain) implements Route {}

    /** The targets to try, empty for Hold and NotOurs. */
    default List<NextHop> targets() {
        if (this instanceof ToLegacy l) {
            return l.targets();
        }
        if (this instanceof ToNew n) {
            return n.targets();
        }
        return List.of();
    }

    default boolean softBounce() {
        return this instanceof ToLegacy l ? l.softBounce() : this instanceof ToNew n && n.softBounce();
    }

    /**
     * The route for {@code recipient} in {@code table}. Pure: same inputs, same answer; no DNS.
     */
    static Route decide(MailAddress recipient, RoutingTable table) {
        Optional<DomainRoute> found = table.lookup(recipient.domain());
        if (found.isEmpty()) {
            return new NotOurs(recipient.domain());
        }
        DomainRoute r = found.get();
        if (r.routeToNew()) {
            return r.newTargets().isEmpty()
                    ? new Hold(
                            r.domain(),
                            "domain " + r.domain() + " is cut over but has no new server targets configured")
                    : new ToNew(r.domain(), r.newTargets(), r.softBounce());
        }
        return r.legacyTargets().isEmpty()
                ? new Hold(
                        r.domain(), "domain " + r.domain() + " is relaying but has no legacy server targets configured")
                : new ToLegacy(r.domain(), r.legacyTargets(), r.softBounce());
    }
}
