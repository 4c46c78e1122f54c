package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.testing.DropwizardTestSupport;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.e2e.MailClient.Found;
import io.mxcutover.it.DnsServers;
import io.mxcutover.it.MutableClock;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole migration of {@code example.test} against real servers: Postfix + Dovecot as legacy, Postfix +
 * Dovecot as new, NSD with the domain's zone and Unbound as the watched resolver, the appliance (relay,
 * sync, DNS watcher, cutover) in between, on a test clock.
 *
 * <ol>
 *   <li>history seeded in legacy is copied; mail sent to the relay lands on legacy and is copied on;</li>
 *   <li>the zone's MX moves to the appliance's host name and the watcher sees it;</li>
 *   <li>readiness is green; cutover through the API;</li>
 *   <li>mail sent to the relay lands on new; mail a stale sender hands straight to legacy's Postfix is caught
 *       up onto new; the post-cutover probes pass;</li>
 *   <li>the catch-up window closes in test time; the domain is COMPLETED.</li>
 * </ol>
 * Then every message is on new exactly once, byte-identical apart from the trace fields transport prepends;
 * nothing on legacy changed; the audit log holds every step.
 */
@ExtendWith(RealServers.class)
class CutoverEndToEndIT {
    static final String ADMIN = basic("admin", "admin-test-pw");
    static final String OPERATOR = basic("ops", "ops-test-pw");
    static final String APPLIANCE_MX = "mx.appliance.test";
    static final Duration MAIL = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    DropwizardTestSupport<ApplianceConfiguration> appliance;

    /** What the test put where: Message-ID -> original bytes, and the legacy messages' expected flags. */
    final Map<String, byte[]> sent = new LinkedHashMap<>();

    final Map<String, Set<String>> legacyFlags = new LinkedHashMap<>();

    @Test
    void domainShouldMoveToNewWithEveryMessageThereOnceAndLegacyUntouched(TestServers servers, @TempDir Path dir)
            throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        TestUser anna = both(servers, "anna" + suffix);
        TestUser ben = both(servers, "ben" + suffix);
        TestUser probe = servers.newImap().createUser("probe" + suffix, "probe-" + suffix + "-pw");
        DnsServers dns = servers.dns();
        String seededZone = Files.readString(dns.zoneDir().resolve("example.test.zone"));
        try {
            // History on legacy before the appliance exists: INBOX (one read and flagged) and Archive.
            seed(servers, anna, "INBOX", "\\Seen \\Flagged", "history 1");
            seed(servers, anna, "INBOX", "", "history 2");
            seed(servers, anna, "INBOX.Archive", "\\Seen", "history archived");
            seed(servers, ben, "INBOX", "", "history 3");

            start(servers, dir, probe);

            // 1. Mailboxes imported and their history copied; mail through the relay lands on legacy.
            String csv = "address,legacy_login,legacy_password,new_login,new_password\n"
                    + String.join("\n", List.of(row(anna), row(ben))) + "\n";
            assertThat(request("POST", "/v1/mailboxes", ADMIN, csv, "text/csv").statusCode())
                    .isEqualTo(200);
            for (TestUser u : List.of(anna, ben)) {
                assertThat(request("POST", "/v1/mailboxes/" + u.address() + "/sync", ADMIN, "", "application/json")
                                .statusCode())
                        .isBetween(200, 202);
            }
            await("history copied").atMost(MAIL).until(() -> check("history").startsWith("PASS"));
            String relayedBefore1 = viaRelay(anna, "relayed before cutover to anna");
            String relayedBefore2 = viaRelay(ben, "relayed before cutover to ben");
            awaitOn(servers.legacyImap(), anna, relayedBefore1);
            awaitOn(servers.legacyImap(), ben, relayedBefore2);
            legacyFlags.put(relayedBefore1, Set.of());
            legacyFlags.put(relayedBefore2, Set.of());
            // New arrivals on legacy reach new without anyone asking: the continuous sync.
            awaitOn(servers.newImap(), anna, relayedBefore1);
            awaitOn(servers.newImap(), ben, relayedBefore2);

            // 2. The MX moves to the appliance; the watcher sees it on NSD and on Unbound.
            assertThat(operator("/v1/domains/example.test")
                            .get("dns")
                            .get("verdict")
                            .asText())
                    .isIn("NOT_SWITCHED", "UNKNOWN");
            dns.writeZone("example.test", zone(2, APPLIANCE_MX));
            dns.reload();
            dns.flushResolver();
            await("MX switch seen").atMost(Duration.ofSeconds(30)).until(() -> {
                clock.advance(Duration.ofSeconds(2)); // the watcher polls when due on the appliance's clock
                return operator("/v1/domains/example.test")
                        .get("dns")
                        .get("verdict")
                        .asText()
                        .equals("SWITCHED");
            });
            assertThat(operator("/v1/domains/example.test/dns").toString()).contains(APPLIANCE_MX);

            // 3. Verified, ready, cut over.
            for (TestUser u : List.of(anna, ben)) {
                assertThat(request("POST", "/v1/mailboxes/" + u.address() + "/verify", ADMIN, "", "application/json")
                                .statusCode())
                        .isEqualTo(200);
            }
            JsonNode readiness = operator("/v1/domains/example.test").get("readiness");
            assertThat(readiness.get("ready").asBoolean())
                    .as(readiness.toString())
                    .isTrue();
            Map<String, Found> legacyBefore = byId(legacyMessages(servers, anna, ben));
            clock.advance(Duration.ofMinutes(1));
            // A minute on the test clock makes the last DNS poll stale (older than 3 poll intervals: UNKNOWN,
            // which fails the preflight); the watcher polls again when due on that clock.
            await("DNS polled again after the clock moved")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> operator("/v1/domains/example.test")
                            .get("dns")
                            .get("verdict")
                            .asText()
                            .equals("SWITCHED"));
            HttpResponse<String> cutover = request(
                    "POST",
                    "/v1/domains/example.test/cutover",
                    ADMIN,
                    "{\"reason\": \"go-live ticket 4711\"}",
                    "application/json");
            assertThat(cutover.statusCode()).as(cutover.body()).isEqualTo(200);
            assertThat(JSON.readTree(cutover.body()).get("domain").get("phase").asText())
                    .isEqualTo("CATCHING_UP");
            await("final pass")
                    .atMost(MAIL)
                    .until(() -> operator("/v1/domains/example.test")
                            .get("cutover")
                            .get("finalPassState")
                            .asText()
                            .equals("done"));

            // 4. The relay now delivers to new; a stale sender's mail to legacy is caught up.
            String relayedAfter = viaRelay(anna, "relayed after cutover to anna");
            awaitOn(servers.newImap(), anna, relayedAfter);
            String stale = id("stale");
            byte[] staleMail = MailClient.message(
                    stale,
                    "old-dns@elsewhere.example",
                    ben.address(),
                    "sent to the old MX by a stale cache",
                    "Delivered straight to legacy after the cutover.");
            MailClient.smtp(
                    servers.legacySmtp().host(),
                    servers.legacySmtp().port(),
                    "old-dns@elsewhere.example",
                    ben.address(),
                    staleMail);
            sent.put(stale, staleMail);
            legacyFlags.put(stale, Set.of());
            awaitOn(servers.legacyImap(), ben, stale);
            awaitOn(servers.newImap(), ben, stale);
            JsonNode probes = awaitProbes("mxcutover");
            assertThat(probes.get("sendReceive").get("state").asText())
                    .as(probes.toString())
                    .isEqualTo("PASS");
            assertThat(MailClient.all(servers.newImap(), probe))
                    .anySatisfy(m -> assertThat(m.messageId())
                            .isEqualTo(probes.get("messageId").asText()));
            // The credential check logs in with the passwords imported with the mailbox list (the sync's).
            clock.advance(Duration.ofMinutes(1));
            assertThat(request("POST", "/v1/domains/example.test/probes", ADMIN, "", "application/json")
                            .statusCode())
                    .isEqualTo(202);
            JsonNode asked = awaitProbes("admin");
            assertThat(asked.get("sendReceive").get("state").asText())
                    .as(asked.toString())
                    .isEqualTo("PASS");
            assertThat(asked.get("credentials").get("state").asText())
                    .as(asked.toString())
                    .isEqualTo("PASS");

            // 5. The window closes in test time: past the MX switch + 48 h and the quiet period.
            assertThat(operator("/v1/domains/example.test")
                            .get("window")
                            .get("state")
                            .asText())
                    .isEqualTo("OPEN");
            clock.advance(Duration.ofHours(49));
            await("completed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> operator("/v1/domains/example.test")
                            .get("phase")
                            .asText()
                            .equals("COMPLETED"));
            // The phase is written first, then the sync stops, then the final report is stored.
            JsonNode report = await("final report")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> operator("/v1/domains/example.test/report"),
                            r -> r.get("complete").asBoolean());
            assertThat(report.get("legacyMayBeDecommissioned").asBoolean()).isTrue();
            assertThat(report.get("caughtUpAfterCutover").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(report.get("probes").get("sendReceive").get("state").asText())
                    .isEqualTo("PASS");

            // Every message on new exactly once, byte-identical apart from prepended trace fields.
            List<Found> onNew = new ArrayList<>(MailClient.all(servers.newImap(), anna));
            onNew.addAll(MailClient.all(servers.newImap(), ben));
            for (Map.Entry<String, byte[]> e : sent.entrySet()) {
                List<Found> copies = onNew.stream()
                        .filter(m -> m.messageId().equals(e.getKey()))
                        .toList();
                assertThat(copies).as("copies of %s on new", e.getKey()).hasSize(1);
                assertSameMessage(e.getKey(), e.getValue(), copies.get(0).raw());
            }
            assertThat(onNew.stream().filter(m -> m.messageId().equals(ids.get("history archived"))))
                    .singleElement()
                    .satisfies(m -> {
                        assertThat(m.folder()).isEqualTo("Archive");
                        assertThat(m.flags()).containsExactly("\\Seen");
                    });
            assertThat(onNew.stream().filter(m -> m.messageId().equals(ids.get("history 1"))))
                    .singleElement()
                    .satisfies(m -> assertThat(m.flags()).containsExactly("\\Flagged", "\\Seen"));
            assertThat(onNew.stream().filter(m -> m.messageId().equals(relayedAfter)))
                    .singleElement()
                    .satisfies(m -> assertThat(m.folder()).isEqualTo("INBOX"));

            // Nothing on legacy changed: same folder, UID and flags; the mail sent after cutover never got there.
            Map<String, Found> legacyAfter = byId(legacyMessages(servers, anna, ben));
            assertThat(legacyAfter.keySet()).containsExactlyInAnyOrderElementsOf(legacyFlags.keySet());
            legacyBefore.forEach((id, before) -> {
                Found after = legacyAfter.get(id);
                assertThat(after.folder()).as(id).isEqualTo(before.folder());
                assertThat(after.uid()).as(id).isEqualTo(before.uid());
                assertThat(after.flags()).as(id).isEqualTo(before.flags());
            });
            legacyFlags.forEach((id, flags) ->
                    assertThat(legacyAfter.get(id).flags()).as(id).isEqualTo(flags));

            // The audit log holds every step.
            List<String> actions = new ArrayList<>();
            operator("/v1/audit?limit=1000")
                    .get("entries")
                    .forEach(e -> actions.add(e.get("action").asText()
                            + (e.get("toPhase").isNull()
                                    ? ""
                                    : "->" + e.get("toPhase").asText())));
            assertThat(actions)
                    .contains(
                            "mailboxes.import",
                            "phase->CATCHING_UP",
                            "cutover.final-pass",
                            "probes",
                            "phase->COMPLETED",
                            "report.stored");
            String audit = operator("/v1/audit?limit=1000").toString();
            assertThat(audit).doesNotContain(anna.password(), probe.password());

            // 6. Relay-first: the last switch, appliance -> new provider. While the zone lists the appliance it
            // must not be retired; once NSD and Unbound return only mx.new.test, + the TTL (5 s), it may.
            JsonNode before = operator("/v1/domains/example.test");
            assertThat(before.get("flow").asText()).isEqualTo("relay-first");
            assertThat(before.get("applianceRetirement").get("retirable").asBoolean())
                    .isFalse();
            assertThat(before.get("applianceRetirement").get("summary").asText())
                    .contains("not yet", APPLIANCE_MX);
            dns.writeZone("example.test", zone(3, "mx.new.test"));
            dns.reload();
            dns.flushResolver();
            JsonNode retirement = await("appliance retirement known")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                clock.advance(Duration.ofSeconds(2));
                                return operator("/v1/domains/example.test").get("applianceRetirement");
                            },
                            r -> r.get("at") != null && !r.get("at").isNull());
            assertThat(retirement.get("summary").asText())
                    .as(retirement.toString())
                    .contains("can be retired for example.test", "largest TTL seen on an answer listing it 5 s");
            clock.advance(Duration.ofSeconds(10));
            await("appliance retirable")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> operator("/v1/domains/example.test")
                            .get("applianceRetirement")
                            .get("retirable")
                            .asBoolean());
        } finally {
            if (appliance != null) {
                appliance.after();
            }
            dns.writeZone("example.test", seededZone);
            dns.reload();
            dns.flushResolver();
        }
    }

    // ---- the story's steps --------------------------------------------------------------------------

    final Map<String, String> ids = new LinkedHashMap<>();

    private String id(String what) {
        String id = "<e2e." + UUID.randomUUID() + "@client.e2e.test>";
        ids.put(what, id);
        return id;
    }

    private void seed(TestServers servers, TestUser user, String folder, String flags, String what) throws IOException {
        String id = id(what);
        byte[] message = MailClient.message(id, "history@elsewhere.example", user.address(), what, "Seeded: " + what);
        MailClient.append(servers.legacyImap(), user, folder, flags, message);
        sent.put(id, message);
        legacyFlags.put(id, flags.isBlank() ? Set.of() : Set.of(flags.split(" ")));
    }

    private String viaRelay(TestUser to, String what) throws IOException, InterruptedException {
        String id = id(what);
        byte[] message =
                MailClient.message(id, "sender@elsewhere.example", to.address(), what, "Through the relay: " + what);
        JsonNode relay = operator("/v1/status").get("listeners").get("relay.smtp");
        String reply = MailClient.smtp(
                relay.get("host").asText(),
                relay.get("port").asInt(),
                "sender@elsewhere.example",
                to.address(),
                message);
        assertThat(reply).startsWith("250");
        sent.put(id, message);
        return id;
    }

    private static void awaitOn(io.mxcutover.it.ImapServer server, TestUser user, String messageId) {
        await(messageId + " on " + server.name())
                .atMost(MAIL)
                .ignoreExceptions()
                .until(() -> MailClient.all(server, user).stream()
                        .anyMatch(m -> m.messageId().equals(messageId)));
    }

    private JsonNode awaitProbes(String requestedBy) throws Exception {
        Predicate<JsonNode> done = p -> p != null
                && !p.isNull()
                && p.get("state").asText().equals("done")
                && p.get("requestedBy").asText().equals(requestedBy);
        await("probes by " + requestedBy)
                .atMost(MAIL)
                .until(() -> done.test(operator("/v1/domains/example.test").get("probes")));
        return operator("/v1/domains/example.test").get("probes");
    }

    private String check(String name) throws Exception {
        for (JsonNode c : operator("/v1/domains/example.test").get("readiness").get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c.get("state").asText() + " " + c.get("reason").asText();
            }
        }
        return "missing";
    }

    private static void assertSameMessage(String id, byte[] original, byte[] found) {
        byte[][] want = MailClient.split(original);
        byte[][] got = MailClient.split(found);
        assertThat(MailClient.sha256(got[1])).as("body of %s", id).isEqualTo(MailClient.sha256(want[1]));
        assertThat(MailClient.sha256(MailClient.withoutLeadingTrace(got[0])))
                .as(
                        "header block of %s without prepended trace fields:\n%s",
                        id, new String(got[0], StandardCharsets.ISO_8859_1))
                .isEqualTo(MailClient.sha256(want[0]));
    }

    private static List<Found> legacyMessages(TestServers servers, TestUser... users) throws Exception {
        List<Found> all = new ArrayList<>();
        for (TestUser u : users) {
            all.addAll(MailClient.all(servers.legacyImap(), u));
        }
        return all;
    }

    private Map<String, Found> byId(List<Found> messages) {
        Map<String, Found> out = new LinkedHashMap<>();
        for (Found m : messages) {
            if (sent.containsKey(m.messageId())) {
                assertThat(out.put(m.messageId(), m))
                        .as("%s twice on legacy", m.messageId())
                        .isNull();
            }
        }
        return out;
    }

    // ---- servers, appliance -------------------------------------------------------------------------

    private static TestUser both(TestServers servers, String login) {
        TestUser user = servers.legacyImap().createUser(login, login + "-pw");
        servers.newImap().createUser(login, login + "-pw");
        return user;
    }

    private static String row(TestUser u) {
        return u.address() + "," + u.login() + "," + u.password() + "," + u.login() + "," + u.password();
    }

    static String zone(int serial, String mx) {
        return "$ORIGIN example.test.\n$TTL 5\n"
                + "@       IN SOA  ns1.example.test. hostmaster.example.test. ( " + serial + " 3600 600 86400 5 )\n"
                + "        IN NS   ns1.example.test.\n"
                + "ns1     IN A    127.0.0.1\n"
                + "@     5 IN MX   10 " + mx + ".\n";
    }

    private void start(TestServers servers, Path dir, TestUser probe) throws Exception {
        String plan = """
                window:
                  catchUp: 48h
                  quietPeriod: 6h
                domains:
                  - name: example.test
                    flow: relay-first
                    appliance:
                      mx: [ %s ]
                    legacy:
                      smtp: [ "127.0.0.1:%d" ]
                      imap: "imap://127.0.0.1:%d"
                      mx: [ mx.legacy.test ]
                    new:
                      smtp: [ "127.0.0.1:%d" ]
                      imap: "imap://127.0.0.1:%d"
                      mx: [ mx.new.test ]
                """.formatted(
                        APPLIANCE_MX,
                        servers.legacySmtp().port(),
                        servers.legacyImap().port(),
                        servers.newSmtp().port(),
                        servers.newImap().port());
        Files.writeString(dir.resolve("plan.yml"), plan);
        // sync: a pass every 5 s (IDLE only watches mailboxes known at start; anna and ben are imported later),
        // and the test Dovecots' self-signed certificate trusted for STARTTLS.
        String config = """
                plan: %s
                planCheckIntervalMillis: 200
                store:
                  path: %s
                users:
                  - name: admin
                    role: ADMIN
                    passwordHash: "$2a$04$14O.mTLGnwSz.X7IZtF06.p11ksWb17Gya9OtH51gEK8i.s16Blwq"
                  - name: ops
                    role: OPERATOR
                    passwordHash: "$2a$04$NExizwEh28OGh2Zf7gWPoej386zerpmTHcR.iKdYi1mBVs3CnjRri"
                relay:
                  listen: 127.0.0.1
                  port: 0
                  hostname: %s
                  spool: %s
                  minBackoff: 1s
                  maxBackoff: 2s
                  deliveryWorkers: 4
                  outboundTls: "off"
                dns:
                  resolvers: [ "127.0.0.1:%d" ]
                  authoritative: [ "127.0.0.1:%d" ]
                  pollInterval: 1s
                  fastPollInterval: 1s
                  tick: 200ms
                  queryTimeout: 2s
                cutover:
                  tickInterval: 500ms
                  probeTimeout: 60s
                  probeMailboxes:
                    - address: %s
                      newLogin: %s
                      newPassword: "%s"
                sync:
                  intervalSeconds: 5
                  trustAnyCertificate: true
                  keyFile: %s
                  tempDir: %s
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: 0
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: 0
                  requestLog:
                    appenders: []
                logging:
                  level: WARN
                  loggers:
                    io.mxcutover: INFO
                """.formatted(
                        dir.resolve("plan.yml"),
                        dir.resolve("state/mxcutover.db"),
                        APPLIANCE_MX,
                        dir.resolve("spool"),
                        servers.dns().resolverPort(),
                        servers.dns().authoritativePort(),
                        probe.address(),
                        probe.login(),
                        probe.password(),
                        dir.resolve("state/sync.key"),
                        dir.resolve("sync-tmp"));
        Path yml = dir.resolve("mxcutover.yml");
        Files.writeString(yml, config);
        appliance = new DropwizardTestSupport<>(ApplianceApplication.class, yml.toString()) {
            @Override
            public Application<ApplianceConfiguration> newApplication() {
                return new ApplianceApplication(clock);
            }
        };
        appliance.before();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    private JsonNode operator(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = request("GET", path, OPERATOR, null, null);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> request(String method, String path, String auth, String body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + appliance.getLocalPort() + "/api" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", auth);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
