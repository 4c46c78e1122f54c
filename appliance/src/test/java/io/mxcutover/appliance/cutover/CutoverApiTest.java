package io.mxcutover.appliance.cutover;

import static io.mxcutover.appliance.TestAppliance.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.appliance.cutover.CutoverAppliance.Reply;
import io.mxcutover.appliance.facts.DnsFacts;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.QueueSummary;
import io.mxcutover.appliance.facts.SyncSummary;
import io.mxcutover.appliance.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cutover REST API against a running appliance with a test clock; each test owns its domain. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CutoverApiTest {
    static final CutoverAppliance APPLIANCE = new CutoverAppliance(TestAppliance.plan(
            "unwired.test",
            "refused.test",
            "ready.test",
            "forced.test",
            "bad.test",
            "rollback.test",
            "extend.test",
            "close.test",
            "tick.test",
            "nomx.test",
            "csv.test",
            "roles.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;
    static final FakeParts PARTS = new FakeParts();

    static {
        PARTS.now = APPLIANCE.clock::instant;
    }

    @BeforeEach
    void wireParts() {
        PARTS.install(APPLIANCE.service());
    }

    @Test
    void domainsShouldRequireCredentialsForEveryEndpoint() {
        for (String path : List.of(
                "/v1/domains",
                "/v1/domains/roles.test",
                "/v1/domains/roles.test/report",
                "/v1/audit",
                "/v1/openapi.json")) {
            assertThat(APPLIANCE.get(path, null).status()).as(path).isEqualTo(401);
            assertThat(APPLIANCE.get(path, TestAppliance.basic("ops", "wrong")).status())
                    .as(path)
                    .isEqualTo(401);
        }
        for (String path : List.of("/cutover", "/rollback", "/window")) {
            assertThat(APPLIANCE
                            .post("/v1/domains/roles.test" + path, null, "{}")
                            .status())
                    .as(path)
                    .isEqualTo(401);
        }
    }

    @Test
    void mutationsShouldBeForbiddenForOperatorAndReadsAllowed() {
        for (String path : List.of("/cutover", "/rollback", "/window")) {
            Reply r = APPLIANCE.post("/v1/domains/roles.test" + path, OPERATOR, "{\"extend\": \"1h\"}");
            assertThat(r.status()).as(path).isEqualTo(403);
        }
        assertThat(APPLIANCE.operator("/v1/domains/roles.test").get("phase").asText())
                .isEqualTo("RELAYING");
        assertThat(APPLIANCE.operator("/v1/domains").get("domains")).hasSize(12);
    }

    @Test
    void domainShouldBe404WithPlanDomainsWhenNotInPlan() {
        Reply get = APPLIANCE.get("/v1/domains/elsewhere.test", OPERATOR);
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().get("message").asText()).isEqualTo("domain elsewhere.test is not in the migration plan");
        assertThat(get.json().get("details").get(0).asText()).contains("ready.test");
        assertThat(APPLIANCE.admin("/v1/domains/elsewhere.test/cutover", "{}").status())
                .isEqualTo(404);
        assertThat(APPLIANCE.admin("/v1/domains/elsewhere.test/rollback", "{}").status())
                .isEqualTo(404);
        assertThat(APPLIANCE
                        .admin("/v1/domains/elsewhere.test/window", "{\"extend\":\"1h\"}")
                        .status())
                .isEqualTo(404);
        assertThat(APPLIANCE.get("/v1/domains/elsewhere.test/report", OPERATOR).status())
                .isEqualTo(404);
    }

    @Test
    void domainShouldShowUnknownPartsAndFailingProbesWhenNothingIsWired() {
        JsonNode d = APPLIANCE.operator("/v1/domains/unwired.test");
        assertThat(d.get("phase").asText()).isEqualTo("RELAYING");
        assertThat(d.get("readiness").get("evaluated").asText()).isEqualTo("live");
        assertThat(d.get("readiness").get("ready").asBoolean()).isFalse();
        assertThat(check(d, "history")).startsWith("FAIL").contains("the sync has not reported on unwired.test");
        assertThat(check(d, "new-smtp")).startsWith("FAIL").contains("127.0.0.1:2");
        assertThat(check(d, "verification")).startsWith("FAIL").contains("no mailbox of unwired.test is known");
        assertThat(check(d, "relay-queue")).startsWith("FAIL").contains("the relay has not reported its queue");
        assertThat(check(d, "dns")).startsWith("FAIL").contains("no usable DNS observation");
        assertThat(d.get("window").get("state").asText()).isEqualTo("NOT_STARTED");
        assertThat(d.get("dns").get("verdict").asText()).isEqualTo("UNKNOWN");
        assertThat(d.get("sync").get("known").asBoolean()).isFalse();
        assertThat(d.get("next").asText()).contains("not ready");
    }

    @Test
    void cutoverShouldBeRefusedWith409ListingFailingChecksWhenNotReady() {
        PARTS.ready("refused.test");
        PARTS.progress.put(
                "refused.test",
                List.of(MailboxProgress.verified("anna@refused.test", false, 4, APPLIANCE.clock.instant())));
        PARTS.imap.put("refused.test", ProbeResult.unreachable("127.0.0.1:2: connection refused"));

        Reply r = APPLIANCE.admin("/v1/domains/refused.test/cutover", "{\"reason\": \"ticket 1\"}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("message").asText()).contains("cutover refused", "history", "verification", "new-imap");
        assertThat(r.body()).contains("anna@refused.test", "connection refused");
        assertThat(APPLIANCE.operator("/v1/domains/refused.test").get("phase").asText())
                .isEqualTo("RELAYING");
        assertThat(actions("refused.test")).containsExactly("cutover.refused");
    }

    @Test
    void cutoverShouldGoLiveRunFinalPassAndBeIdempotentWhenReady() {
        PARTS.ready("ready.test");

        Reply first = APPLIANCE.admin("/v1/domains/ready.test/cutover", "{\"reason\": \"go-live ticket 4711\"}");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("outcome").asText()).isEqualTo("changed");
        assertThat(first.json().get("domain").get("phase").asText()).isEqualTo("CATCHING_UP");
        assertThat(PARTS.phaseChanges).contains("ready.test RELAYING->CATCHING_UP");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> APPLIANCE
                        .operator("/v1/domains/ready.test")
                        .get("cutover")
                        .get("finalPassState")
                        .asText()
                        .equals("done"));
        JsonNode d = APPLIANCE.operator("/v1/domains/ready.test");
        assertThat(d.get("cutover").get("additionalMessages").asLong()).isEqualTo(3);
        assertThat(d.get("cutover").get("by").asText()).isEqualTo("admin");
        assertThat(d.get("cutover").get("reason").asText()).isEqualTo("go-live ticket 4711");
        assertThat(d.get("readiness").get("evaluated").asText()).isEqualTo("at cutover");
        assertThat(d.get("window").get("state").asText()).isEqualTo("MX_SWITCH_NOT_SEEN");

        Reply again = APPLIANCE.admin("/v1/domains/ready.test/cutover", "{\"reason\": \"clicked twice\"}");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("outcome").asText()).isEqualTo("unchanged");
        assertThat(again.json().get("message").asText()).startsWith("already cut over");
        List<String> actions = actions("ready.test");
        // The post-cutover probes (ProbeApiTest) run in the background and audit themselves as "probes".
        assertThat(actions)
                .filteredOn(a -> !a.equals("probes"))
                .containsExactlyInAnyOrder("cutover.repeated", "cutover.final-pass", "phase");
        JsonNode phase = entry("ready.test", "phase");
        assertThat(phase.get("actor").asText()).isEqualTo("admin");
        assertThat(phase.get("fromPhase").asText()).isEqualTo("RELAYING");
        assertThat(phase.get("toPhase").asText()).isEqualTo("CATCHING_UP");
        assertThat(phase.get("details").asText()).contains("preflight passed", "history PASS", "new-smtp PASS");
    }

    @Test
    void cutoverShouldProceedWithForceAndReasonWhenNotReady() {
        PARTS.ready("forced.test");
        PARTS.queue.put("forced.test", new QueueSummary(true, 5, 2, 2, Optional.empty(), "451 mailbox busy"));

        Reply noReason = APPLIANCE.admin("/v1/domains/forced.test/cutover", "{\"force\": true}");
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.json().get("message").asText()).contains("needs a reason");

        Reply forced = APPLIANCE.admin(
                "/v1/domains/forced.test/cutover",
                "{\"force\": true, \"reason\": \"the two queued messages are spam\"}");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().get("message").asText())
                .contains("with force", "forced past failing checks", "relay-queue FAIL");
        assertThat(forced.json()
                        .get("domain")
                        .get("relayQueue")
                        .get("heldOrFailingTowardNew")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void commandsShouldAnswer422WhenBodyCannotBeUsed() {
        String base = "/v1/domains/bad.test";
        assertThat(APPLIANCE.admin(base + "/cutover", "{not json").status()).isEqualTo(422);
        assertThat(APPLIANCE.admin(base + "/cutover", "[1, 2]").status()).isEqualTo(422);
        Reply typo = APPLIANCE.admin(base + "/cutover", "{\"forse\": true}");
        assertThat(typo.status()).isEqualTo(422);
        assertThat(typo.json().get("message").asText()).isEqualTo("unknown field 'forse'");
        assertThat(APPLIANCE.admin(base + "/cutover", "{\"force\": \"yes\"}").status())
                .isEqualTo(422);
        assertThat(APPLIANCE.admin(base + "/window", "{}").status()).isEqualTo(422);
        assertThat(APPLIANCE
                        .admin(base + "/window", "{\"extend\": \"12h\", \"close\": true}")
                        .status())
                .isEqualTo(422);
        assertThat(APPLIANCE.admin(base + "/window", "{\"extend\": \"soon\"}").status())
                .isEqualTo(422);
        assertThat(APPLIANCE.admin(base + "/window", "{\"extend\": \"0h\"}").status())
                .isEqualTo(422);
        assertThat(APPLIANCE.get(base + "/report?format=pdf", OPERATOR).status())
                .isEqualTo(422);
        assertThat(APPLIANCE.get("/v1/audit?limit=0", OPERATOR).status()).isEqualTo(422);
        assertThat(APPLIANCE.operator(base).get("phase").asText()).isEqualTo("RELAYING");
    }

    @Test
    void rollbackShouldReturnToRelayingAndBeUnchangedWhenRepeated() {
        PARTS.ready("rollback.test");
        assertThat(APPLIANCE.admin("/v1/domains/rollback.test/cutover", "{}").status())
                .isEqualTo(200);

        Reply back = APPLIANCE.admin("/v1/domains/rollback.test/rollback", "{\"reason\": \"new server bounces\"}");

        assertThat(back.status()).isEqualTo(200);
        assertThat(back.json().get("outcome").asText()).isEqualTo("changed");
        assertThat(back.json().get("domain").get("phase").asText()).isEqualTo("RELAYING");
        assertThat(back.json().get("domain").get("window").get("state").asText())
                .isEqualTo("NOT_STARTED");
        assertThat(PARTS.phaseChanges).contains("rollback.test CATCHING_UP->RELAYING");
        Reply again = APPLIANCE.admin("/v1/domains/rollback.test/rollback", "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("outcome").asText()).isEqualTo("unchanged");
        // The clock stood still: the cutover and the rollback share a millisecond; the newer phase entry is first.
        JsonNode rollback = entry("rollback.test", "phase");
        assertThat(rollback.get("toPhase").asText()).isEqualTo("RELAYING");
        assertThat(rollback.get("reason").asText()).isEqualTo("new server bounces");
        // A second cutover after the rollback starts a new window with the new cutover time.
        APPLIANCE.clock.advance(Duration.ofMinutes(5));
        Reply recut = APPLIANCE.admin("/v1/domains/rollback.test/cutover", "{\"reason\": \"fixed\"}");
        assertThat(recut.json().get("domain").get("cutover").get("reason").asText())
                .isEqualTo("fixed");
    }

    @Test
    void windowShouldExtendClosingTimeAndRefuseBeforeCutover() {
        PARTS.ready("extend.test");
        Reply early = APPLIANCE.admin("/v1/domains/extend.test/window", "{\"extend\": \"12h\"}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("message").asText()).contains("not allowed from RELAYING");

        Instant cut = APPLIANCE.clock.instant();
        switched("extend.test", cut);
        APPLIANCE.admin("/v1/domains/extend.test/cutover", "{}");
        Instant before = Instant.parse(APPLIANCE
                .operator("/v1/domains/extend.test")
                .get("window")
                .get("closesAt")
                .asText());
        assertThat(before).isEqualTo(cut.plus(Duration.ofHours(47)));

        Reply extended = APPLIANCE.admin(
                "/v1/domains/extend.test/window", "{\"extend\": \"12h\", \"reason\": \"customer on holiday\"}");

        assertThat(extended.status()).isEqualTo(200);
        assertThat(extended.json().get("outcome").asText()).isEqualTo("extended");
        JsonNode window = extended.json().get("domain").get("window");
        assertThat(Instant.parse(window.get("closesAt").asText())).isEqualTo(before.plus(Duration.ofHours(12)));
        assertThat(window.get("decidedBy").asText()).isEqualTo("EXTENSION");
        assertThat(window.get("extensions").get(0).asText()).isEqualTo("12h by admin");
        JsonNode audit = entry("extend.test", "window.extend");
        assertThat(audit.get("reason").asText()).isEqualTo("customer on holiday");
        assertThat(audit.get("details").asText()).contains("extended by 12h by admin");
    }

    @Test
    void windowCloseShouldNeedForceWhileOpenAndThenCompleteDomain() {
        PARTS.ready("close.test");
        switched("close.test", APPLIANCE.clock.instant());
        APPLIANCE.admin("/v1/domains/close.test/cutover", "{}");

        Reply refused = APPLIANCE.admin("/v1/domains/close.test/window", "{\"close\": true}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("message").asText()).contains("pass force");

        Reply closed = APPLIANCE.admin(
                "/v1/domains/close.test/window",
                "{\"close\": true, \"force\": true, \"reason\": \"legacy contract ends today\"}");

        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        JsonNode d = closed.json().get("domain");
        assertThat(d.get("phase").asText()).isEqualTo("COMPLETED");
        assertThat(d.get("legacyMayBeDecommissioned").asBoolean()).isTrue();
        assertThat(d.get("window").get("decidedBy").asText()).isEqualTo("FORCED_CLOSE");
        assertThat(d.get("window").get("forcedClose").asText()).startsWith("closed by admin");
        assertThat(PARTS.stopped).contains("close.test");
        JsonNode report = APPLIANCE.operator("/v1/domains/close.test/report");
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(report.get("verdict").asText()).contains("may be switched off");
        assertThat(APPLIANCE.admin("/v1/domains/close.test/rollback", "{}").status())
                .isEqualTo(409);
        assertThat(APPLIANCE
                        .admin("/v1/domains/close.test/window", "{\"extend\": \"1h\"}")
                        .status())
                .isEqualTo(409);
        Reply repeat = APPLIANCE.admin("/v1/domains/close.test/window", "{\"close\": true}");
        assertThat(repeat.json().get("outcome").asText()).isEqualTo("unchanged");
    }

    @Test
    void tickShouldCompleteDomainWhenWindowClosesInTestTime() {
        PARTS.ready("tick.test");
        Instant cut = APPLIANCE.clock.instant();
        switched("tick.test", cut);
        APPLIANCE.admin("/v1/domains/tick.test/cutover", "{\"reason\": \"go-live\"}");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> APPLIANCE
                        .operator("/v1/domains/tick.test")
                        .get("cutover")
                        .get("finalPassState")
                        .asText()
                        .equals("done"));
        // Mail that went to legacy through stale DNS after the cutover, caught up by the sync.
        PARTS.sync.put(
                "tick.test", new SyncSummary(true, 2, 107, Optional.of(cut.plus(Duration.ofHours(2))), List.of()));

        APPLIANCE.clock.advance(Duration.ofHours(46));
        APPLIANCE.service().tick();
        JsonNode open = APPLIANCE.operator("/v1/domains/tick.test");
        assertThat(open.get("phase").asText()).isEqualTo("CATCHING_UP");
        assertThat(open.get("window").get("state").asText()).isEqualTo("OPEN");
        assertThat(open.get("window").get("decidedBy").asText()).isEqualTo("MX_SWITCH");
        assertThat(open.get("next").asText()).contains("keep the legacy server running");

        APPLIANCE.clock.advance(Duration.ofHours(2));
        APPLIANCE.service().tick();

        JsonNode done = APPLIANCE.operator("/v1/domains/tick.test");
        assertThat(done.get("phase").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("window").get("state").asText()).isEqualTo("CLOSED");
        assertThat(PARTS.stopped).contains("tick.test");
        assertThat(PARTS.phaseChanges).contains("tick.test CATCHING_UP->COMPLETED");
        JsonNode report = APPLIANCE.operator("/v1/domains/tick.test/report");
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(report.get("messagesCopied").asLong()).isEqualTo(107);
        assertThat(report.get("caughtUpAfterCutover").asLong()).isEqualTo(7);
        assertThat(report.get("finalPass").get(0).get("additionalMessages").asLong())
                .isEqualTo(3);
        assertThat(report.get("legacyMayBeDecommissioned").asBoolean()).isTrue();
        assertThat(report.get("readinessAtCutover")).hasSize(6);
        // A later tick changes nothing, and the stored report stays as it was.
        APPLIANCE.clock.advance(Duration.ofHours(1));
        APPLIANCE.service().tick();
        assertThat(APPLIANCE
                        .operator("/v1/domains/tick.test/report")
                        .get("generatedAt")
                        .asText())
                .isEqualTo(report.get("generatedAt").asText());

        JsonNode audit = APPLIANCE.operator("/v1/audit?domain=tick.test").get("entries");
        List<String> actions = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        audit.forEach(e -> {
            actions.add(e.get("action").asText() + " " + e.get("actor").asText());
            times.add(Instant.parse(e.get("at").asText()));
        });
        assertThat(actions)
                .filteredOn(a -> !a.startsWith("probes "))
                .containsExactlyInAnyOrder(
                        "phase admin", "cutover.final-pass mxcutover", "phase mxcutover", "report.stored mxcutover");
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(times.get(0)).isEqualTo(cut.plus(Duration.ofHours(48)));
    }

    @Test
    void tickShouldNotCompleteDomainWhenMxSwitchWasNeverSeen() {
        PARTS.ready("nomx.test");
        APPLIANCE.admin("/v1/domains/nomx.test/cutover", "{}");

        APPLIANCE.clock.advance(Duration.ofDays(10));
        APPLIANCE.service().tick();

        JsonNode d = APPLIANCE.operator("/v1/domains/nomx.test");
        assertThat(d.get("phase").asText()).isEqualTo("CATCHING_UP");
        assertThat(d.get("window").get("state").asText()).isEqualTo("MX_SWITCH_NOT_SEEN");
        assertThat(d.get("window").get("reason").asText()).contains("will not complete", "check DNS");
        assertThat(PARTS.stopped).doesNotContain("nomx.test");
    }

    @Test
    void reportShouldBeCsvPerMailboxWhenAsked() {
        PARTS.ready("csv.test");
        PARTS.progress.put(
                "csv.test",
                List.of(
                        MailboxProgress.verified("anna@csv.test", true, 0, APPLIANCE.clock.instant()),
                        MailboxProgress.unverified("bob@csv.test", false)));

        Reply csv = APPLIANCE.get("/v1/domains/csv.test/report?format=csv", OPERATOR);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.type()).startsWith("text/csv");
        assertThat(csv.body().split("\r\n"))
                .containsExactly(
                        "domain,mailbox,history_copied,missing_on_new,final_pass_additional,final_pass_error,phase,complete,"
                                + "estimated_copy_seconds,actual_copy_seconds",
                        "csv.test,anna@csv.test,true,0,,,RELAYING,false,,",
                        "csv.test,bob@csv.test,false,,,,RELAYING,false,,");
        JsonNode json = APPLIANCE.operator("/v1/domains/csv.test/report");
        assertThat(json.get("complete").asBoolean()).isFalse();
        assertThat(json.get("verdict").asText()).startsWith("not cut over yet");
    }

    private static void switched(String domain, Instant cut) {
        PARTS.dns.put(
                domain,
                new DnsFacts(
                        DnsVerdict.SWITCHED,
                        Optional.of(cut.minus(Duration.ofHours(1))),
                        Optional.of(cut.minus(Duration.ofMinutes(30))),
                        Duration.ofHours(1),
                        "all on mx1.new.example"));
    }

    private static String check(JsonNode domain, String name) {
        for (JsonNode c : domain.get("readiness").get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c.get("state").asText() + " " + c.get("reason").asText();
            }
        }
        throw new AssertionError("no check " + name + " in " + domain);
    }

    private static List<String> actions(String domain) {
        List<String> out = new ArrayList<>();
        APPLIANCE
                .operator("/v1/audit?domain=" + domain)
                .get("entries")
                .forEach(e -> out.add(e.get("action").asText()));
        return out;
    }

    private static JsonNode entry(String domain, String action) {
        for (JsonNode e : APPLIANCE.operator("/v1/audit?domain=" + domain).get("entries")) {
            if (e.get("action").asText().equals(action)) {
                return e;
            }
        }
        throw new AssertionError("no audit entry " + action + " for " + domain);
    }
}
