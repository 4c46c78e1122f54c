package io.mxcutover.appliance.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.relay.route.Route;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.MailAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTablesTest {

    static DomainPlan domain(String name, boolean softBounce, List<String> recipients) {
        return new DomainPlan(
                name,
                false,
                softBounce,
                new Side(List.of(PlanHostPort.of("legacy." + name + ":25")), Optional.empty(), List.of()),
                new Side(List.of(PlanHostPort.of("new." + name + ":2525")), Optional.empty(), List.of()),
                recipients);
    }

    static final MigrationPlan PLAN = new MigrationPlan(
            Path.of("plan.yml"),
            "f",
            Duration.ofHours(48),
            Duration.ofHours(1),
            List.of(
                    domain("a.test", true, List.of()),
                    domain("b.test", true, List.of("alice")),
                    domain("c.test", false, List.of())));

    @ParameterizedTest(name = "{0} in {1} -> {2} softBounce={3}")
    @CsvSource(textBlock = """
            x@a.test, RELAYING,    ToLegacy, true,  legacy.a.test:25
            x@a.test, CATCHING_UP, ToNew,    false, new.a.test:2525
            x@a.test, COMPLETED,   ToNew,    false, new.a.test:2525
            x@c.test, RELAYING,    ToLegacy, false, legacy.c.test:25
            x@d.test, RELAYING,    NotOurs,  false, ''
            """)
    void routingTableShouldFollowPhaseWhenBuiltFromPlan(
            String rcpt, CutoverPhase phase, String kind, boolean soft, String target) {
        RoutingTable t = RoutingTables.from(PLAN, d -> phase);
        Route r = Route.decide(MailAddress.of(rcpt), t);
        assertThat(r.getClass().getSimpleName()).isEqualTo(kind);
        assertThat(r.softBounce()).isEqualTo(soft);
        assertThat(r.targets().stream().map(Object::toString).findFirst().orElse(""))
                .isEqualTo(target == null ? "" : target);
    }

    @ParameterizedTest
    @CsvSource({"alice, true", "ALICE, true", "bob, false"})
    void recipientListShouldCarryOverWhenPlanListsMailboxes(String local, boolean known) {
        RoutingTable t = RoutingTables.from(PLAN, d -> CutoverPhase.RELAYING);
        assertThat(t.lookup("b.test").orElseThrow().knowsRecipient(local, "b.test"))
                .isEqualTo(known);
        assertThat(t.lookup("b.test").orElseThrow().recipients()).isPresent();
    }
}
