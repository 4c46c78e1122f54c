package io.mxcutover.appliance.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.appliance.audit.AuditEntry;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.hook.HookContext;
import io.mxcutover.appliance.hook.HookEvent;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerts from the points where they happen to a local receiver, and their audit lines. */
class AlertsTest {
    static final String SECRET = "s3cret-for-the-receiver-only";
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));
    final WebhookReceiver receiver;
    Alerts alerts;

    AlertsTest() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void close() {
        if (alerts != null) {
            alerts.close();
        }
        receiver.close();
    }

    AlertConfig config(AlertEvent... events) {
        AlertConfig c = new AlertConfig();
        AlertConfig.Webhook w = new AlertConfig.Webhook();
        w.name = "ops";
        w.url = receiver.url();
        w.secret = SECRET;
        w.events = List.of(events);
        c.webhooks = List.of(w);
        return c;
    }

    String nextEvent() throws InterruptedException {
        WebhookReceiver.Received r = receiver.arrivals.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("an alert arrived").isNotNull();
        assertThat(WebhookSignature.verify(SECRET, r.body(), r.header(WebhookSignature.HEADER)))
                .isTrue();
        return r.header("X-Mxcutover-Event");
    }

    @Test
    void alertsShouldReachTheWebhookFromHookEventsPhaseChangesAndTheWatch(@TempDir Path dir) throws Exception {
        Store store = Store.open(dir.resolve("mx.db"));
        AuditLog audit = new AuditLog(store, clock);
        AlertConfig config = config(
                AlertEvent.MAILBOX_FAILED,
                AlertEvent.PHASE_CHANGED,
                AlertEvent.READINESS_RED,
                AlertEvent.DNS_REGRESSED);
        alerts = new Alerts(config, audit, clock, clock::advance, new ObjectMapper());

        alerts.hookFired(new HookContext(
                HookEvent.MAILBOX_FAILED,
                "example.org",
                Optional.of("anna@example.org"),
                Optional.empty(),
                "login refused",
                clock.instant()));
        assertThat(nextEvent()).isEqualTo("mailbox-failed");
        // A hook event that needs no human sends nothing.
        alerts.hookFired(new HookContext(
                HookEvent.MAILBOX_HISTORY_COPIED,
                "example.org",
                Optional.of("anna@example.org"),
                Optional.empty(),
                "",
                clock.instant()));
        alerts.phaseChanged("example.org", CutoverPhase.RELAYING, CutoverPhase.CATCHING_UP);
        assertThat(nextEvent()).isEqualTo("phase-changed");

        // The watch: green, then red with DNS gone back; a bounce is not wanted by this webhook.
        Deque<AlertReading> readings = new ArrayDeque<>(
                List.of(reading(true, DnsVerdict.SWITCHED, 0), reading(false, DnsVerdict.PROPAGATING, 1)));
        AlertWatch watch = new AlertWatch(readings::poll, alerts, config);
        assertThat(watch.check()).isEmpty();
        assertThat(watch.check())
                .extracting(Alert::event)
                .containsExactly(AlertEvent.READINESS_RED, AlertEvent.DNS_REGRESSED, AlertEvent.MESSAGE_BOUNCED);
        assertThat(List.of(nextEvent(), nextEvent())).containsExactlyInAnyOrder("readiness-red", "dns-regressed");
        assertThat(receiver.arrivals.poll(300, TimeUnit.MILLISECONDS))
                .as("nothing else")
                .isNull();

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> audit.recent(Optional.of("example.org"), 20).stream()
                                .filter(e -> e.action().equals("alert.sent"))
                                .count()
                        == 4);
        assertThat(audit.recent(Optional.of("example.org"), 20))
                .filteredOn(e -> e.action().equals("alert.sent"))
                .extracting(AuditEntry::actor)
                .containsOnly("alert:ops");
        assertThat(audit.recent(Optional.empty(), 50).toString()).doesNotContain(SECRET);
    }

    private AlertReading reading(boolean ready, DnsVerdict dns, long bounced) {
        return new AlertReading(
                clock.instant(),
                List.of(new AlertReading.Domain(
                        "example.org",
                        CutoverPhase.RELAYING,
                        Optional.of(ready),
                        ready ? List.of() : List.of("history"),
                        dns,
                        Optional.empty(),
                        Optional.empty())),
                bounced);
    }

    @Test
    void configShouldNameEachProblemWhenAWebhookIsIncomplete() {
        AlertConfig c = new AlertConfig();
        AlertConfig.Webhook w = new AlertConfig.Webhook();
        w.name = "ops pager";
        w.url = "ftp://example.org/";
        w.secret = "short";
        w.attempts = 0;
        c.webhooks = List.of(w);

        assertThat(c.problems())
                .hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("alerts.webhooks[0].name"))
                .anySatisfy(p -> assertThat(p).startsWith("alerts.webhooks[0].url"))
                .anySatisfy(p -> assertThat(p).startsWith("alerts.webhooks[0].secret"))
                .anySatisfy(p -> assertThat(p).startsWith("alerts.webhooks[0].attempts"));
        assertThat(config(AlertEvent.PHASE_CHANGED).problems()).isEmpty();
        assertThat(String.join(" ", c.problems())).doesNotContain("short");
    }
}
