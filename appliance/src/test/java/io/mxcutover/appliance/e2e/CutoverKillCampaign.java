package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.it.ImapServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the appliance during a cutover's final pass (issue 14): the shaded jar runs
 * {@code server conf/mxcutover.yml} in a child JVM with the real Dovecot pair as legacy and new; the history
 * is copied; 120 more messages arrive on legacy; the domain is cut over through the API and the JVM is
 * killed as soon as the API answered (the phase is on disk, the final pass has no recorded result). After
 * the restart the domain is CATCHING_UP and its final pass completes (the cutover tick runs it again), and
 * every legacy message is on new exactly once.
 */
@ExtendWith(RealServers.class)
class CutoverKillCampaign {
    static final Path JAR = Path.of("target/mxcutover.jar");
    static final String ADMIN =
            "Basic " + Base64.getEncoder().encodeToString("admin:change-me-admin".getBytes(StandardCharsets.UTF_8));
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Process appliance;
    int port;

    @AfterEach
    void stop() throws Exception {
        if (appliance != null) {
            appliance.destroyForcibly();
            appliance.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killDuringTheFinalPassShouldEndCatchingUpWithTheFinalPassDoneAfterRestart(
            TestServers servers, @TempDir Path dir) throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        List<TestUser> users = List.of(both(servers, "kanna" + suffix), both(servers, "kben" + suffix));
        List<String> sent = new ArrayList<>();
        for (TestUser u : users) {
            sent.addAll(append(servers.legacyImap(), u, 10, "history"));
        }
        Path plan = Files.writeString(
                dir.resolve("plan.yml"),
                "domains:\n  - name: example.test\n    legacy: { smtp: [ \"127.0.0.1:1\" ], imap: \"imap://127.0.0.1:"
                        + servers.legacyImap().port() + "\" }\n    new: { smtp: [ \"127.0.0.1:2\" ], imap:"
                        + " \"imap://127.0.0.1:" + servers.newImap().port()
                        + "\", mx: [ mx1.new.example ] }\n");
        port = freePort();
        start(dir, plan, 0);
        String csv = "address,legacy_login,legacy_password,new_login,new_password\n"
                + String.join(
                        "\n",
                        users.stream()
                                .map(u -> u.address() + "," + u.login() + "," + u.password() + "," + u.login() + ","
                                        + u.password())
                                .toList())
                + "\n";
        assertThat(request("POST", "/v1/mailboxes", csv, "text/csv").statusCode())
                .isEqualTo(200);
        await("history copied").atMost(Duration.ofSeconds(90)).until(() -> onNew(servers, users) == sent.size());

        // Mail arrives; the cutover's final pass has it to copy. Kill as soon as the API answered.
        for (TestUser u : users) {
            sent.addAll(append(servers.legacyImap(), u, 60, "arrival"));
        }
        HttpResponse<String> cutover = request(
                "POST",
                "/v1/domains/example.test/cutover",
                "{\"force\": true, \"reason\": \"kill test: preflight not wanted\"}",
                "application/json");
        appliance.destroyForcibly(); // SIGKILL
        assertThat(appliance.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cutover.statusCode()).as(cutover.body()).isEqualTo(200);
        assertThat(JSON.readTree(cutover.body()).get("domain").get("phase").asText())
                .isEqualTo("CATCHING_UP");
        String finalPassAtKill = finalPassAt(dir);
        System.out.println("killed after the cutover answered; final pass recorded at the kill: " + finalPassAtKill);
        assertThat(finalPassAtKill).as("the kill came during the final pass").isEqualTo("null");

        start(dir, plan, 1);
        JsonNode domain = await("final pass done after the restart")
                .atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .until(
                        () -> domain(),
                        d -> d != null
                                && "done"
                                        .equals(d.path("cutover")
                                                .path("finalPassState")
                                                .asText()));
        assertThat(domain.get("phase").asText()).isEqualTo("CATCHING_UP");
        await("every message on new").atMost(Duration.ofSeconds(90)).until(() -> onNew(servers, users) >= sent.size());
        List<String> onNew = new ArrayList<>();
        for (TestUser u : users) {
            onNew.addAll(hashes(servers.newImap(), u));
        }
        assertThat(onNew).as("every legacy message on new once").containsExactlyInAnyOrderElementsOf(sent);
        System.out.printf(
                "CUTOVER-KILL messages=%d final-pass-at-kill=%s after-restart: phase=%s finalPassState=done"
                        + " on-new=%d duplicated=0 lost=0%n",
                sent.size(), finalPassAtKill, domain.get("phase").asText(), onNew.size());
    }

    void start(Path dir, Path plan, int run) throws Exception {
        Path conf = Path.of(System.getProperty("mxcutover.repo", ".."), "conf", "mxcutover.yml");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-Ddw.plan=" + plan,
                        "-Ddw.relay.listen=127.0.0.1",
                        "-Ddw.relay.port=0",
                        "-Ddw.dns.enabled=false",
                        "-Ddw.sync.intervalSeconds=5",
                        "-Ddw.sync.trustAnyCertificate=true",
                        "-Ddw.cutover.tickInterval=1s",
                        "-Ddw.server.applicationConnectors[0].port=" + port,
                        "-Ddw.server.adminConnectors[0].port=0",
                        "-jar",
                        JAR.toString(),
                        "server",
                        conf.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("appliance-" + run + ".log").toFile());
        pb.environment().put("MXCUTOVER_STATE_DIR", dir.resolve("state").toString());
        pb.environment().put("MXCUTOVER_SPOOL_DIR", dir.resolve("spool").toString());
        appliance = pb.start();
        await("appliance " + run + " answers")
                .atMost(Duration.ofSeconds(120))
                .ignoreExceptions()
                .until(() -> !appliance.isAlive()
                        || request("GET", "/v1/domains", null, null).statusCode() == 200);
        assertThat(appliance.isAlive())
                .as(Files.readString(dir.resolve("appliance-" + run + ".log")))
                .isTrue();
    }

    JsonNode domain() throws Exception {
        HttpResponse<String> r = request("GET", "/v1/domains/example.test", null, null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    static String finalPassAt(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:sqlite:" + dir.resolve("state").resolve("mxcutover.db"));
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT final_pass_at FROM cutover WHERE domain = 'example.test'")) {
            return rs.next() ? String.valueOf(rs.getString(1)) : "(no cutover row)";
        }
    }

    HttpResponse<String> request(String method, String path, String body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", ADMIN);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static TestUser both(TestServers servers, String login) {
        servers.newImap().createUser(login, login + "-pw");
        return servers.legacyImap().createUser(login, login + "-pw");
    }

    /** Appends {@code n} messages to the user's legacy INBOX; returns their SHA-256. */
    static List<String> append(ImapServer server, TestUser u, int n, String what) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] bytes = MailClient.message(
                    "<" + what + i + "." + u.login() + "@x>",
                    "kill@example.test",
                    u.address(),
                    what + " " + i,
                    what + " " + i + " for " + u.login() + "\r\n");
            MailClient.append(server, u, "INBOX", i % 2 == 0 ? "\\Seen" : "", bytes);
            hashes.add(MailClient.sha256(bytes));
        }
        return hashes;
    }

    static long onNew(TestServers servers, List<TestUser> users) throws Exception {
        long n = 0;
        for (TestUser u : users) {
            n += hashes(servers.newImap(), u).size();
        }
        return n;
    }

    /** SHA-256 of every message of the user's mailbox (read-only, BODY.PEEK[]). */
    static List<String> hashes(ImapServer server, TestUser u) throws Exception {
        return MailClient.all(server, u).stream()
                .map(f -> MailClient.sha256(f.raw()))
                .toList();
    }
}
