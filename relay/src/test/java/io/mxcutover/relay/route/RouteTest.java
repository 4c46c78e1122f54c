package io.mxcutover.relay.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.relay.smtp.MailAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTest {

    static final NextHop LEGACY = NextHop.of("legacy.test:2525");
    static final NextHop LEGACY2 = NextHop.of("legacy2.test:25");
    static final NextHop NEW = NextHop.of("new.test:25");

    static final RoutingTable TABLE = RoutingTable.of(
            new DomainRoute(
                    "relaying.test", false, false, List.of(LEGACY, LEGACY2), List.of(NEW), Optional.empty(), true),
            new DomainRoute("cutover.test", false, true, List.of(LEGACY), List.of(NEW), Optional.empty(), false),
            new DomainRoute("subs.test", true, false, List.of(LEGACY), List.of(NEW), Optional.empty(), false),
            new DomainRoute("nonew.test", false, true, List.of(LEGACY), List.of(), Optional.empty(), false),
            new DomainRoute("nolegacy.test", false, false, List.of(), List.of(NEW), Optional.empty(), false),
            new DomainRoute("a.subs.test", false, true, List.of(LEGACY), List.of(NEW), Optional.empty(), false));

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            bob@relaying.test        | ToLegacy | legacy.test:2525 legacy2.test:25
            bob@RELAYING.test        | ToLegacy | legacy.test:2525 legacy2.test:25
            bob@cutover.test         | ToNew    | new.test:25
            bob@subs.test            | ToLegacy | legacy.test:2525
            bob@x.subs.test          | ToLegacy | legacy.test:2525
            bob@y.x.subs.test        | ToLegacy | legacy.test:2525
            bob@a.subs.test          | ToNew    | new.test:25
            bob@b.a.subs.test        | ToLegacy | legacy.test:2525
            bob@x.relaying.test      | NotOurs  |
            bob@relaying.test.evil   | NotOurs  |
            bob@evilrelaying.test    | NotOurs  |
            bob@other.example        | NotOurs  |
            bob@test                 | NotOurs  |
            bob@nonew.test           | Hold     |
            bob@nolegacy.test        | Hold     |
            """)
    void decideShouldRouteByPhaseAndExactDomainWhenTableGiven(String rcpt, String kind, String targets) {
        Route r = Route.decide(MailAddress.of(rcpt), TABLE);
        assertThat(r.getClass().getSimpleName()).isEqualTo(kind);
        String expected = targets == null ? "" : targets;
        assertThat(String.join(" ", r.targets().stream().map(NextHop::toString).toList()))
                .isEqualTo(expected);
    }

    @Test
    void decideShouldCarrySoftBounceOfTheDomain() {
        assertThat(Route.decide(MailAddress.of("a@relaying.test"), TABLE).softBounce())
                .isTrue();
        assertThat(Route.decide(MailAddress.of("a@cutover.test"), TABLE).softBounce())
                .isFalse();
    }

    @Test
    void decideShouldFollowTableSnapshotWhenPhaseChanges() {
        DomainRoute relaying = DomainRoute.relaying("d.test", List.of(LEGACY), List.of(NEW));
        MailAddress a = MailAddress.of("x@d.test");
        assertThat(Route.decide(a, RoutingTable.of(relaying))).isInstanceOf(Route.ToLegacy.class);
        assertThat(Route.decide(a, RoutingTable.of(relaying.withRouteToNew(true))))
                .isInstanceOf(Route.ToNew.class);
        assertThat(Route.decide(a, RoutingTable.EMPTY)).isInstanceOf(Route.NotOurs.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            host.test:2525    | host.test   | 2525
            HOST.test         | host.test   | 25
            127.0.0.1:10025   | 127.0.0.1   | 10025
            [::1]:26          | ::1         | 26
            [2001:db8::1]     | 2001:db8::1 | 25
            """)
    void hostPortShouldParseWhenWritten(String text, String host, int port) {
        assertThat(NextHop.of(text)).isEqualTo(new NextHop(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            host:0
            host:65536
            host:x
            ::1:25
            [::1
            :25
            a b:25
            """)
    void hostPortShouldRejectWhenMalformed(String text) {
        assertThatThrownBy(() -> NextHop.of(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void domainRouteShouldKnowRecipientsCaseInsensitively() {
        DomainRoute r = DomainRoute.relaying("d.test", List.of(LEGACY), List.of())
                .withRecipients(Set.of("Alice", "bob@d.test"));
        assertThat(r.knowsRecipient("alice", "d.test")).isTrue();
        assertThat(r.knowsRecipient("BOB", "d.test")).isTrue();
        assertThat(r.knowsRecipient("carol", "d.test")).isFalse();
    }

    @Test
    void routingTableShouldRefuseDuplicateDomains() {
        DomainRoute r = DomainRoute.relaying("d.test", List.of(LEGACY), List.of());
        assertThatThrownBy(() -> RoutingTable.of(r, r)).isInstanceOf(IllegalArgumentException.class);
    }
}
