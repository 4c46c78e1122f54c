package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.appliance.e2e.ApplianceNodes.Node;
import io.mxcutover.it.ImapServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the appliance during a cutover's final pass (issue 14): the shaded jar runs
 * {@code server} in a child JVM ({@link ApplianceNodes}, one node on SQLite) with the real Dovecot pair as legacy
 * and new; the history
 * is copied; 120 more messages arrive on legacy; the domain is cut over through the API and the JVM is
 * killed as soon as the API answered (the phase is on disk, the final pass has no recorded result). After
 * the restart the domain is CATCHING_UP and its final pass completes (the cutover tick runs it again), and
 * every legacy message is on new exactly once.
 */
@ExtendWith(RealServers.class)
class CutoverKillCampaign {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> SETTINGS = Map.of("sync.intervalSeconds", "5", "cutover.tickInterval", "1s");

    ApplianceNodes nodes;
    Node appliance;

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void killDuringTheFinalPassShouldEndCatchingUpWithTheFinalPassDoneAfterRestart(
            TestServers servers, @TempDir Path dir) throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        List<TestUser> users = List.of(both(servers, "kanna" + suffix), both(servers, "kben" + suffix));
        List<String> sent = new ArrayList<>();
        for (TestUser u : users) {
            sent.addAll(append(servers.legacyImap(), u, 10, "history"));
        }
        nodes = ApplianceNodes.onSqlite(
                dir,
                "domains:\n  - name: example.test\n    legacy: { smtp: [ \"127.0.0.1:1\" ], imap: \"imap://127.0.0.1:"
                        + servers.legacyImap().port() + "\" }\n    new: { smtp: [ \"127.0.0.1:2\" ], imap:"
                        + " \"imap://127.0.0.1:" + servers.newImap().port()
                        + "\", mx: [ mx1.new.example ] }\n");
        appliance = nodes.start("a", SETTINGS);
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
        appliance.kill(); // SIGKILL
        assertThat(cutover.statusCode()).as(cutover.body()).isEqualTo(200);
        assertThat(JSON.readTree(cutover.body()).get("domain").get("phase").asText())
                .isEqualTo("CATCHING_UP");
        String finalPassAtKill = finalPassAt(appliance.home);
        System.out.println("killed after the cutover answered; final pass recorded at the kill: " + finalPassAtKill);
        assertThat(finalPassAtKill).as("the kill came during the final pass").isEqualTo("null");

        appliance = nodes.start("a", SETTINGS);
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
        return appliance.api(method, path, body, type);
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
