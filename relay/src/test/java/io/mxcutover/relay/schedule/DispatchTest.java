package io.mxcutover.relay.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.Route;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.SpoolEntry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DispatchTest {

    static final List<NextHop> LEGACY = List.of(NextHop.of("legacy.test:25"), NextHop.of("legacy2.test:25"));
    static final List<NextHop> NEW = List.of(NextHop.of("new.test:25"));
    static final List<NextHop> SMART_HOST = List.of(NextHop.of("smarthost.test:587"));

    static Route route(String kind, String domain) {
        return switch (kind) {
            case "legacy" -> new Route.ToLegacy(domain, LEGACY, false);
            case "legacy-soft" -> new Route.ToLegacy(domain, LEGACY, true);
            case "new" -> new Route.ToNew(domain, NEW, false);
            case "new-soft" -> new Route.ToNew(domain, NEW, true);
            case "hold" -> new Route.Hold(domain, "domain " + domain + " is cut over but has no new server targets");
            case "not-ours" -> new Route.NotOurs(domain);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static String show(Dispatch d) {
        if (d instanceof Dispatch.Forward f) {
            return "forward " + f.targets().stream().map(NextHop::toString).toList() + (f.softBounce() ? " soft" : "");
        }
        Dispatch.Keep k = (Dispatch.Keep) d;
        return "keep" + (k.outcome().alert() ? " alert" : "") + ": "
                + k.outcome().reason();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} relay={2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # route      | origin | bounce relay | expected
            legacy      | SMTP   | false | forward [legacy.test:25, legacy2.test:25]
            legacy      | BOUNCE | true  | forward [legacy.test:25, legacy2.test:25]
            legacy-soft | SMTP   | false | forward [legacy.test:25, legacy2.test:25] soft
            new         | SMTP   | true  | forward [new.test:25]
            new-soft    | BOUNCE | false | forward [new.test:25] soft
            hold        | SMTP   | false | keep alert: domain example.test is cut over but has no new server targets
            hold        | BOUNCE | true  | keep alert: domain example.test is cut over but has no new server targets
            not-ours    | SMTP   | false | keep alert: domain example.test is no longer in the migration plan; message kept queued
            not-ours    | SMTP   | true  | keep alert: domain example.test is no longer in the migration plan; message kept queued
            not-ours    | BOUNCE | true  | forward [smarthost.test:587]
            not-ours    | BOUNCE | false | keep alert: bounce to kim@example.test needs a bounce relay (smart host): this relay does no MX lookups; configure relay.bounceRelay
            """)
    void ofShouldForwardOrKeepByRouteOriginAndBounceRelay(
            String route, SpoolEntry.Origin origin, boolean bounceRelay, String expected) {
        Dispatch d = Dispatch.of(
                MailAddress.of("kim@example.test"),
                route(route, "example.test"),
                origin,
                bounceRelay ? SMART_HOST : List.of());
        assertThat(show(d)).isEqualTo(expected);
    }

    @Test
    void forwardShouldBeEqualForSameTargetsAndSoftBounceSoRecipientsShareATransaction() {
        Dispatch a = Dispatch.of(
                MailAddress.of("a@one.test"),
                new Route.ToLegacy("one.test", LEGACY, false),
                SpoolEntry.Origin.SMTP,
                List.of());
        Dispatch b = Dispatch.of(
                MailAddress.of("b@two.test"),
                new Route.ToNew("two.test", List.copyOf(LEGACY), false),
                SpoolEntry.Origin.SMTP,
                List.of());
        Dispatch soft = Dispatch.of(
                MailAddress.of("c@one.test"),
                new Route.ToLegacy("one.test", LEGACY, true),
                SpoolEntry.Origin.SMTP,
                List.of());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(soft);
    }
}
