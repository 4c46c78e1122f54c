package io.mxcutover.appliance.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.PreflightResult;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.watch.JdbcPollStore;
import jakarta.ws.rs.core.GenericType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DNS resource over a real store holding polls written as the watcher writes them (no network). */
@ExtendWith(DropwizardExtensionsSupport.class)
class DnsResourceTest {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final DnsWatch WATCH;
    static final ResourceExtension RESOURCE;

    static {
        try {
            Path dir = io.mxcutover.appliance.TempDirs.dir("dns-resource-");
            Store store = Store.open(dir.resolve("state.db"));
            MigrationPlan plan = new MigrationPlan(
                    dir.resolve("plan.yml"),
                    "f",
                    Duration.ofHours(48),
                    Duration.ofHours(6),
                    List.of(
                            domain("example.com", List.of("mx1.new.example", "mx2.new.example")),
                            domain("nomx.example", List.of())));
            DnsWatchConfig config = new DnsWatchConfig();
            config.authoritative = List.of("127.0.0.1:1");
            config.resolvers = List.of("127.0.0.1:2");
            WATCH = new DnsWatch(config, () -> plan, store.dataSource(), Clock.fixed(T0, ZoneOffset.UTC));
            JdbcPollStore polls = new JdbcPollStore(store.dataSource());
            polls.save(poll(T0, "10 mx.legacy.example", "10 mx.legacy.example"), Verdict.NOT_SWITCHED);
            polls.save(
                    poll(T0.plusSeconds(300), "10 mx1.new.example\n20 mx2.new.example", "10 mx.legacy.example"),
                    Verdict.PUBLISHED);
            WATCH.syncWithPlan();
            RESOURCE = ResourceExtension.builder()
                    .addResource(new DnsResource(WATCH))
                    .build();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static DomainPlan domain(String name, List<String> newMx) {
        Side legacy = new Side(
                List.of(PlanHostPort.of("127.0.0.1:25")),
                Optional.empty(),
                List.of("mx.legacy.example"),
                List.of("include:spf.legacy.example"));
        Side target = new Side(
                List.of(PlanHostPort.of("127.0.0.1:26")), Optional.empty(), newMx, List.of("include:spf.new.example"));
        return new DomainPlan(name, false, true, legacy, target, List.of(), true);
    }

    static Poll poll(Instant at, String authoritative, String resolver) {
        NameServer ns = new NameServer("127.0.0.1:1", NameServer.Role.AUTHORITATIVE, "127.0.0.1", 1);
        NameServer r = new NameServer("127.0.0.1:2", NameServer.Role.RESOLVER, "127.0.0.1", 2);
        ServerReply txt = new ServerReply(
                new LookupOutcome.NoError(List.of("v=spf1 mx include:spf.legacy.example -all"), 3600),
                true,
                false,
                Duration.ofMillis(1));
        return new Poll(
                "example.com",
                at,
                List.of(
                        new Observation(
                                ns,
                                new ServerReply(
                                        new LookupOutcome.NoError(List.of(authoritative.split("\n")), 3600),
                                        true,
                                        false,
                                        Duration.ofMillis(2)),
                                txt),
                        new Observation(
                                r,
                                new ServerReply(
                                        new LookupOutcome.NoError(List.of(resolver), 1200),
                                        false,
                                        false,
                                        Duration.ofMillis(3)),
                                txt)));
    }

    @AfterAll
    static void stop() {
        WATCH.stop();
    }

    @Test
    @SuppressWarnings("unchecked")
    void dnsShouldReturnReportAndHistoryWhenDomainWatched() {
        Map<String, Object> body = RESOURCE.target("/v1/domains/Example.COM/dns")
                .queryParam("limit", 1)
                .request()
                .get(new GenericType<Map<String, Object>>() {});

        Map<String, Object> report = (Map<String, Object>) body.get("report");
        assertThat(report.get("verdict")).isEqualTo("PUBLISHED");
        assertThat(report.get("switchTime")).isEqualTo(T0.plusSeconds(300).toString());
        assertThat(report.get("expectedEnd"))
                .isEqualTo(T0.plusSeconds(300 + 3600).toString());
        assertThat(report.get("expectedEndBasis")).isEqualTo("OLD_RECORD_TTL");
        assertThat(body.get("polls")).isEqualTo(2);
        List<Map<String, Object>> history = (List<Map<String, Object>>) body.get("history");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("polledAt")).isEqualTo(T0.plusSeconds(300).toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void dnsShouldCheckSpfAndPrintRecordToPublishWhenPlanHasSpfMechanisms() {
        Map<String, Object> body =
                RESOURCE.target("/v1/domains/example.com/dns").request().get(new GenericType<Map<String, Object>>() {});

        Map<String, Object> spf = (Map<String, Object>) ((Map<String, Object>) body.get("report")).get("spf");
        assertThat(spf.get("status")).isEqualTo("MISSING_REQUIRED");
        assertThat((List<String>) spf.get("missing")).containsExactly("include:spf.new.example");
        assertThat((String) body.get("plan"))
                .contains("example.com.\t300\tIN\tMX\t10 mx1.new.example.")
                .contains("example.com.\t300\tIN\tMX\t20 mx2.new.example.")
                .contains("example.com.\t300\tIN\tTXT\t\"v=spf1 mx include:spf.new.example -all\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dnsShouldReportChecksUnknownUntilRunThenTheirResults() {
        Map<String, Object> before = (Map<String, Object>) RESOURCE.target("/v1/domains/example.com/dns")
                .request()
                .get(new GenericType<Map<String, Object>>() {})
                .get("checks");
        WATCH.recordChecks(
                "example.com",
                new TargetChecks(
                        T0.plusSeconds(301),
                        new DnssecStatus(DnssecStatus.Status.INSECURE, "example.com is not signed"),
                        List.of(
                                new PreflightResult(
                                        "mx1.new.example", PreflightResult.Status.OK, List.of("192.0.2.10"), "ok"),
                                new PreflightResult(
                                        "mx2.new.example",
                                        PreflightResult.Status.NO_ADDRESS,
                                        List.of(),
                                        "mx2.new.example has no A or AAAA record")),
                        Optional.empty()));
        Map<String, Object> after = (Map<String, Object>) RESOURCE.target("/v1/domains/example.com/dns")
                .request()
                .get(new GenericType<Map<String, Object>>() {})
                .get("checks");

        assertThat(before.get("checkedAt")).isNull();
        assertThat(((Map<String, Object>) before.get("dnssec")).get("status")).isEqualTo("UNKNOWN");
        assertThat((List<Map<String, Object>>) before.get("mxTargets"))
                .extracting(t -> t.get("host") + " " + t.get("status"))
                .containsExactly("mx1.new.example UNKNOWN", "mx2.new.example UNKNOWN");
        assertThat(after.get("checkedAt")).isEqualTo(T0.plusSeconds(301).toString());
        assertThat(((Map<String, Object>) after.get("dnssec")).get("status")).isEqualTo("INSECURE");
        assertThat((List<Map<String, Object>>) after.get("mxTargets"))
                .extracting(t -> t.get("host") + " " + t.get("status"))
                .containsExactly("mx1.new.example OK", "mx2.new.example NO_ADDRESS");
    }

    @Test
    void spfExpectationShouldForbidLegacyMechanismsOnlyWhenPlanAsks() {
        DomainPlan asks = domain("example.com", List.of("mx1.new.example"));
        DomainPlan keeps = new DomainPlan(asks.name(), false, true, asks.legacy(), asks.target(), List.of(), false);

        assertThat(DnsWatch.spfExpectation(asks).forbidden()).containsExactly("include:spf.legacy.example");
        assertThat(DnsWatch.spfExpectation(keeps).forbidden()).isEmpty();
        assertThat(DnsWatch.spfExpectation(keeps).required()).containsExactly("include:spf.new.example");
    }

    @Test
    void dnsShouldAnswer404WhenDomainNotWatched() {
        assertThat(RESOURCE.target("/v1/domains/nomx.example/dns")
                        .request()
                        .get()
                        .getStatus())
                .isEqualTo(404);
        assertThat(RESOURCE.target("/v1/domains/other.example/dns")
                        .request()
                        .get()
                        .getStatus())
                .isEqualTo(404);
    }
}
