package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance as an admin runs it (the shaded jar's {@code server}, a child process) with JSON log lines
 * and every part on against the real servers: a history message copied, a message through the relay to
 * legacy and on to new, a forced cutover. Then:
 *
 * <ul>
 *   <li>{@code GET /metrics} on the admin port passes {@code promtool check metrics} (the Debian
 *       {@code prometheus} package, installed by {@code it/servers.sh install}: missing is a failure), holds
 *       the named metrics of every part with values that fit the run, and each {@code mxcutover_} family is
 *       in {@code docs/reference/metrics.md};</li>
 *   <li>every line the appliance printed is a JSON object; the relay's lines carry {@code queueId}, the sync's
 *       {@code mailbox}, {@code domain} and {@code folder}, the cutover's {@code domain} and {@code phase};</li>
 *   <li>no secret the run configured (mailbox passwords, the API users' passwords, the probe mailbox's
 *       password, the sync credential key) appears anywhere in the output.</li>
 * </ul>
 */
@ExtendWith(RealServers.class)
class ObservabilityIT {
    static final Path JAR = Path.of("target/mxcutover.jar");
    static final Path REPO = Path.of(System.getProperty("mxcutover.repo", ".."));
    static final String ADMIN_PW = "admin-test-pw";
    static final String OPS_PW = "ops-test-pw";
    static final Duration MAIL = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern STARTED = Pattern.compile("Started (application|admin)@[0-9a-f]+\\{.*\\}\\{[^}]*:(\\d+)\\}");

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Process server;
    int apiPort;
    int adminPort;

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void applianceShouldServePrometheusMetricsAndJsonLogLinesWithoutSecrets(TestServers servers, @TempDir Path dir)
            throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Path promtool = promtool();
        String suffix = "obs" + Long.toString(ProcessHandle.current().pid(), 36);
        String password = "Pw-" + UUID.randomUUID();
        TestUser mia = servers.legacyImap().createUser("mia" + suffix, password);
        servers.newImap().createUser(mia.login(), password);
        String probePassword = "Probe-" + UUID.randomUUID();
        TestUser probe = servers.newImap().createUser("probe" + suffix, probePassword);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String syncKey = Base64.getEncoder().encodeToString(key);

        String history = "<obs.history." + UUID.randomUUID() + "@client.test>";
        MailClient.append(
                servers.legacyImap(),
                mia,
                "INBOX",
                "",
                MailClient.message(history, "history@elsewhere.example", mia.address(), "history", "Seeded."));

        Path log = start(servers, dir, probe, syncKey);

        // A small run: import, the history copied, one message through the relay to legacy and on to new.
        String csv = "address,legacy_login,legacy_password,new_login,new_password\n" + mia.address() + "," + mia.login()
                + "," + password + "," + mia.login() + "," + password + "\n";
        assertThat(api("POST", "/v1/mailboxes", admin(), csv, "text/csv").statusCode())
                .isEqualTo(200);
        assertThat(api("POST", "/v1/mailboxes/" + mia.address() + "/sync", admin(), "", "application/json")
                        .statusCode())
                .isBetween(200, 202);
        awaitOn(servers.newImap(), mia, history);
        String relayed = "<obs.relayed." + UUID.randomUUID() + "@client.test>";
        JsonNode relay = JSON.readTree(
                        api("GET", "/v1/status", operator(), null, null).body())
                .get("listeners")
                .get("relay.smtp");
        assertThat(MailClient.smtp(
                        relay.get("host").asText(),
                        relay.get("port").asInt(),
                        "sender@elsewhere.example",
                        mia.address(),
                        MailClient.message(
                                relayed, "sender@elsewhere.example", mia.address(), "relayed", "Via the relay.")))
                .startsWith("250");
        awaitOn(servers.legacyImap(), mia, relayed);
        awaitOn(servers.newImap(), mia, relayed);
        HttpResponse<String> cutover = api(
                "POST",
                "/v1/domains/example.test/cutover",
                admin(),
                "{\"force\": true, \"reason\": \"observability test\"}",
                "application/json");
        assertThat(cutover.statusCode()).as(cutover.body()).isEqualTo(200);

        // Metrics: the format (promtool), then the values of each part.
        HttpResponse<String> scrape = await("metrics after the run")
                .atMost(MAIL)
                .until(
                        () -> admin("/metrics"),
                        r -> r.statusCode() == 200
                                && sample(r.body(), "mxcutover_sync_messages_copied_total", "domain", "example.test")
                                                .orElse(0.0)
                                        >= 2
                                && sample(r.body(), "mxcutover_relay_delivered_total")
                                                .orElse(0.0)
                                        >= 1);
        assertThat(admin("/metrics").statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        String text = scrape.body();
        Path scraped = Files.writeString(dir.resolve("metrics.txt"), text);
        ProcessResult check = run(dir, scraped, promtool.toString(), "check", "metrics");
        assertThat(check.exit())
                .as("promtool check metrics:%n%s", check.output())
                .isZero();

        assertThat(sample(text, "mxcutover_relay_accepted_total"))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(sample(text, "mxcutover_relay_rejected_total", "reason", "relay_denied"))
                .isPresent();
        assertThat(sample(text, "mxcutover_relay_delivery_latency_seconds_count"))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(sample(text, "mxcutover_relay_delivery_latency_seconds_bucket", "le", "+Inf"))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(sample(text, "mxcutover_relay_queue_messages")).isPresent();
        assertThat(sample(text, "mxcutover_sync_copied_bytes_total", "domain", "example.test"))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThan(100));
        assertThat(sample(text, "mxcutover_sync_pass_duration_seconds_count", "state", "synced"))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(sample(text, "mxcutover_sync_errors_total", "kind", "mailbox"))
                .hasValue(0.0);
        // One mailbox: synced, or in its next pass (continuous mode, or the final pass after the cutover).
        assertThat(sum(text, "mxcutover_sync_mailboxes", "domain", "example.test"))
                .isEqualTo(1);
        assertThat(sample(text, "mxcutover_sync_mailboxes", "state", "synced").orElseThrow()
                        + sample(text, "mxcutover_sync_mailboxes", "state", "syncing")
                                .orElseThrow())
                .isEqualTo(1);
        assertThat(sample(text, "mxcutover_sync_mailboxes", "state", "failed")).hasValue(0.0);
        assertThat(sample(
                        text,
                        "mxcutover_sync_throttle_pauses_total",
                        "server",
                        "127.0.0.1:" + servers.legacyImap().port()))
                .hasValue(0.0);
        assertThat(sample(text, "mxcutover_sync_lag_seconds", "domain", "example.test"))
                .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 60.0));
        assertThat(sum(text, "mxcutover_dns_verdict", "domain", "example.test"))
                .as("exactly one DNS verdict holds")
                .isEqualTo(1);
        assertThat(sample(text, "mxcutover_dns_last_poll_age_seconds", "domain", "example.test"))
                .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 60.0));
        // One watched resolver (Unbound): whether it answered depends on the test zone, not on the metric.
        double answering = sample(text, "mxcutover_dns_resolvers_answering", "domain", "example.test")
                .orElseThrow();
        assertThat(answering).isBetween(0.0, 1.0);
        assertThat(sample(text, "mxcutover_dns_resolvers_on_new_mx", "domain", "example.test"))
                .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, answering));
        assertThat(sample(text, "mxcutover_cutover_phase", "phase", "catching_up"))
                .hasValue(1.0);
        assertThat(sample(text, "mxcutover_cutover_phase", "phase", "relaying")).hasValue(0.0);
        String reference = Files.readString(REPO.resolve("docs/reference/metrics.md"));
        for (String family : families(text)) {
            if (family.startsWith("mxcutover_")) {
                assertThat(reference)
                        .as("docs/reference/metrics.md names " + family)
                        .contains("`" + family);
            }
        }

        // JSON log lines: stop the appliance so that everything it printed is in the file.
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException ex) {
                throw new AssertionError("not a JSON line: " + line, ex);
            }
            assertThat(e != null && e.isObject()).as("a JSON object: %s", line).isTrue();
            assertThat(e.has("timestamp") && e.has("level") && e.has("message"))
                    .as(line)
                    .isTrue();
            events.add(e);
        }
        assertThat(events).as("lines logged").hasSizeGreaterThan(10);
        assertThat(events)
                .as("a relay line with its queue id and the recipient's domain")
                .anySatisfy(e -> {
                    assertThat(e.path("queueId").asText()).isNotEmpty();
                    assertThat(e.path("domain").asText()).isEqualTo("example.test");
                    assertThat(e.path("message").asText()).contains("status=sent");
                });
        assertThat(events).as("a sync line with its mailbox, domain and folder").anySatisfy(e -> {
            assertThat(e.path("mailbox").asText()).isEqualTo(mia.address());
            assertThat(e.path("domain").asText()).isEqualTo("example.test");
            assertThat(e.path("folder").asText()).isEqualTo("INBOX");
        });
        assertThat(events).as("the cutover's line with its domain and phase").anySatisfy(e -> {
            assertThat(e.path("domain").asText()).isEqualTo("example.test");
            assertThat(e.path("phase").asText()).isEqualTo("CATCHING_UP");
        });
        String all = Files.readString(log, StandardCharsets.UTF_8);
        for (String secret : List.of(password, probePassword, ADMIN_PW, OPS_PW, syncKey)) {
            assertThat(all).as("the whole output holds no configured secret").doesNotContain(secret);
        }
    }

    /** promtool from the PATH (Debian's prometheus package, installed by it/servers.sh install). */
    static Path promtool() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path usual = Path.of("/usr/bin/promtool");
        assertThat(usual)
                .as("promtool (Debian package prometheus) is missing: run it/servers.sh install")
                .isExecutable();
        return usual;
    }

    record ProcessResult(int exit, String output) {}

    /** Runs a command with {@code stdin} as its input; its output and exit code. */
    static ProcessResult run(Path dir, Path stdin, String... command) throws Exception {
        Path out = dir.resolve("cmd-" + UUID.randomUUID() + ".out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(stdin.toFile())
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("%s ended", List.of(command))
                .isTrue();
        return new ProcessResult(p.exitValue(), Files.readString(out));
    }

    // ---- the exposition, read back: a sample's value by name and label ------------------------------

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    static List<Sample> samples(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return out;
    }

    /** The first sample of {@code name} whose labels include the given pairs. */
    static Optional<Double> sample(String text, String name, String... labelPairs) {
        return matching(text, name, labelPairs).stream().map(Sample::value).findFirst();
    }

    static double sum(String text, String name, String... labelPairs) {
        return matching(text, name, labelPairs).stream()
                .mapToDouble(Sample::value)
                .sum();
    }

    private static List<Sample> matching(String text, String name, String... labelPairs) {
        return samples(text).stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> {
                    for (int i = 0; i < labelPairs.length; i += 2) {
                        if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .toList();
    }

    /** The metric families the exposition declares ({@code # TYPE name type}). */
    static List<String> families(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                out.add(line.split(" ")[2]);
            }
        }
        return out;
    }

    // ---- the appliance ------------------------------------------------------------------------------

    private Path start(TestServers servers, Path dir, TestUser probe, String syncKey) throws Exception {
        Files.writeString(dir.resolve("plan.yml"), """
                domains:
                  - name: example.test
                    legacy:
                      smtp: [ "127.0.0.1:%d" ]
                      imap: "imap://127.0.0.1:%d"
                      mx: [ mx.legacy.test ]
                    new:
                      smtp: [ "127.0.0.1:%d" ]
                      imap: "imap://127.0.0.1:%d"
                      mx: [ mx.new.test ]
                """.formatted(
                        servers.legacySmtp().port(),
                        servers.legacyImap().port(),
                        servers.newSmtp().port(),
                        servers.newImap().port()));
        // The JSON layout exactly as docs/reference/logging.md shows it, on stdout.
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
                  hostname: mx.appliance.test
                  spool: %s
                  minBackoff: 1s
                  maxBackoff: 2s
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
                  probeMailboxes:
                    - address: %s
                      newLogin: %s
                      newPassword: "%s"
                sync:
                  intervalSeconds: 5
                  trustAnyCertificate: true
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
                  level: INFO
                  loggers:
                    org.eclipse.jetty: WARN
                    org.eclipse.jetty.server.AbstractConnector: INFO
                    org.flywaydb: WARN
                  appenders:
                    - type: console
                      target: stdout
                      layout:
                        type: json
                        flattenMdc: true
                """.formatted(
                        dir.resolve("plan.yml"),
                        dir.resolve("state/mxcutover.db"),
                        dir.resolve("spool"),
                        servers.dns().resolverPort(),
                        servers.dns().authoritativePort(),
                        probe.address(),
                        probe.login(),
                        probe.password(),
                        dir.resolve("sync-tmp"));
        Path yml = Files.writeString(dir.resolve("mxcutover.yml"), config);
        Path log = dir.resolve("appliance.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-jar",
                        JAR.toString(),
                        "server",
                        yml.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MXCUTOVER_SYNC_KEY", syncKey);
        server = pb.start();
        await("appliance started")
                .atMost(Duration.ofSeconds(90))
                .until(() -> !server.isAlive() || ports(Files.readString(log)));
        assertThat(server.isAlive())
                .as("the appliance runs:%n%s", Files.readString(log))
                .isTrue();
        return log;
    }

    private boolean ports(String out) {
        Matcher m = STARTED.matcher(out);
        while (m.find()) {
            if (m.group(1).equals("application")) {
                apiPort = Integer.parseInt(m.group(2));
            } else {
                adminPort = Integer.parseInt(m.group(2));
            }
        }
        return apiPort > 0 && adminPort > 0;
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    private static String admin() {
        return basic("admin", ADMIN_PW);
    }

    private static String operator() {
        return basic("ops", OPS_PW);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", operator())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> api(String method, String path, String auth, String body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", auth);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitOn(io.mxcutover.it.ImapServer server, TestUser user, String messageId) {
        await(messageId + " on " + server.name())
                .atMost(MAIL)
                .ignoreExceptions()
                .until(() -> MailClient.all(server, user).stream()
                        .anyMatch(m -> m.messageId().equals(messageId)));
    }
}
