package io.mxcutover.appliance.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.it.ImapServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST/GET /api/v1/domains/{d}/inventory} on an appliance whose plan points at the real Dovecot pair,
 * with the continuous sync off so nothing is copied before the inventory: it runs in the background, its
 * progress and stored report are shown, a failing login is reported while the others are listed, and after
 * the copy (started by hand) the report shows the estimate against the actual copy time.
 */
@ExtendWith(RealServers.class)
class InventoryApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void inventoryShouldRunInBackgroundBeStoredAndShowEstimateAgainstActualCopy(TestServers servers, @TempDir Path dir)
            throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        TestUser anna = both(servers, "invanna" + suffix);
        TestUser ben = both(servers, "invben" + suffix);
        TestUser cleo = both(servers, "invcleo" + suffix);
        Map<String, long[]> put = new LinkedHashMap<>();
        put.put("INBOX", fill(servers.legacyImap(), anna, "INBOX", 60));
        put.put("INBOX.Projects.new", fill(servers.legacyImap(), anna, "INBOX.Projects.new", 5));
        long benBytes = fill(servers.legacyImap(), ben, "INBOX", 40)[1];

        Files.writeString(dir.resolve("plan.yml"), """
                domains:
                  - name: example.test
                    legacy: { smtp: [ "127.0.0.1:1" ], imap: "imap://127.0.0.1:%d" }
                    new: { smtp: [ "127.0.0.1:2" ], imap: "imap://127.0.0.1:%d", mx: [ mx1.new.example ] }
                """.formatted(
                        servers.legacyImap().port(), servers.newImap().port()));
        DropwizardTestSupport<ApplianceConfiguration> app = new DropwizardTestSupport<>(
                ApplianceApplication.class,
                ResourceHelpers.resourceFilePath("test.yml"),
                ConfigOverride.config("plan", dir.resolve("plan.yml").toString()),
                ConfigOverride.config(
                        "store.path", dir.resolve("state/mxcutover.db").toString()),
                ConfigOverride.config("relay.spool", dir.resolve("spool").toString()),
                ConfigOverride.config("sync.enabled", "false"),
                ConfigOverride.config("sync.parallelMailboxes", "2"),
                ConfigOverride.config("sync.trustAnyCertificate", "true"));
        app.before();
        try {
            String base = "http://127.0.0.1:" + app.getLocalPort() + "/api";
            String csv = "address,legacy_login,legacy_password,new_login,new_password\n"
                    + row(anna, anna.password()) + "\n" + row(ben, ben.password()) + "\n"
                    + row(cleo, "wrong-legacy-pw-31") + "\n";
            assertThat(call(base, "POST", "/v1/mailboxes", TestAppliance.ADMIN, csv, "text/csv")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(call(base, "GET", "/v1/domains/example.test/inventory", TestAppliance.OPERATOR, null, null)
                            .body())
                    .contains("\"run\":null");
            assertThat(call(
                                    base,
                                    "POST",
                                    "/v1/domains/example.test/inventory",
                                    TestAppliance.OPERATOR,
                                    "",
                                    "text/plain")
                            .statusCode())
                    .isEqualTo(403);

            HttpResponse<String> started =
                    call(base, "POST", "/v1/domains/example.test/inventory", TestAppliance.ADMIN, "", "text/plain");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            assertThat(JSON.readTree(started.body())
                            .path("run")
                            .path("mailboxesTotal")
                            .asInt())
                    .isEqualTo(3);
            await("inventory done")
                    .atMost(Duration.ofSeconds(120))
                    .until(() ->
                            inventory(base).path("run").path("state").asText().equals("done"));

            JsonNode view = inventory(base);
            assertThat(view.path("run").path("mailboxesDone").asInt()).isEqualTo(3);
            JsonNode report = view.path("report");
            JsonNode a = mailbox(report, anna);
            assertThat(a.path("outcome").asText()).isEqualTo("LISTED");
            for (JsonNode f : a.path("folders")) {
                long[] expected = put.getOrDefault(f.path("legacyFolder").asText(), new long[] {0, 0});
                assertThat(new long[] {
                            f.path("messages").asLong(), f.path("bytes").asLong()
                        })
                        .as(f.path("legacyFolder").asText())
                        .containsExactly(expected);
            }
            assertThat(a.path("folders").findValues("fate").stream().map(JsonNode::asText))
                    .contains("REFUSED");
            assertThat(mailbox(report, ben).path("bytes").asLong()).isEqualTo(benBytes);
            JsonNode c = mailbox(report, cleo);
            assertThat(c.path("outcome").asText()).isEqualTo("LOGIN_FAILED");
            assertThat(view.toString()).doesNotContain("wrong-legacy-pw-31");
            JsonNode domain = report.path("domains").path(0);
            assertThat(domain.path("listed").asInt()).isEqualTo(2);
            assertThat(domain.path("loginsFailed").asInt()).isEqualTo(1);
            assertThat(domain.path("foldersRefused").asInt()).isEqualTo(1);
            assertThat(domain.path("messages").asLong()).isEqualTo(105);
            JsonNode estimate = report.path("estimate");
            assertThat(estimate.path("rate").path("source").asText()).isEqualTo("SAMPLE");
            assertThat(estimate.path("parallelism").asInt()).isEqualTo(2);
            assertThat(view.path("copy").path("state").asText()).isEqualTo("not started");
            HttpResponse<String> asCsv = call(
                    base, "GET", "/v1/domains/example.test/inventory?format=csv", TestAppliance.OPERATOR, null, null);
            assertThat(asCsv.statusCode()).isEqualTo(200);
            assertThat(asCsv.body())
                    .startsWith("address,outcome,legacy_folder")
                    .contains(cleo.address() + ",LOGIN_FAILED")
                    .contains(anna.address() + ",LISTED,INBOX.Projects.new,5,");

            // The copy, then the estimate against it.
            for (TestUser u : new TestUser[] {anna, ben}) {
                assertThat(call(
                                        base,
                                        "POST",
                                        "/v1/mailboxes/" + u.address() + "/sync",
                                        TestAppliance.ADMIN,
                                        "",
                                        "text/plain")
                                .statusCode())
                        .isBetween(200, 202);
            }
            await("copy done")
                    .atMost(Duration.ofSeconds(120))
                    .until(() ->
                            inventory(base).path("copy").path("state").asText().equals("done"));
            JsonNode copy = inventory(base).path("copy");
            System.out.printf(
                    "inventory API: estimate %.1f s (%s) vs actual %.1f s, ratio %.2f, within tolerance %s%n",
                    copy.path("estimatedSeconds").asDouble(),
                    estimate.path("rate").path("basis").asText(),
                    copy.path("actualSeconds").asDouble(),
                    copy.path("ratio").asDouble(),
                    copy.path("withinTolerance").asBoolean());
            assertThat(copy.path("mailboxesCopied").asInt()).isEqualTo(2);
            assertThat(copy.path("actualSeconds").asDouble()).isPositive();
            assertThat(copy.has("withinTolerance")).isTrue();
        } finally {
            app.after();
        }
    }

    private JsonNode inventory(String base) throws Exception {
        return JSON.readTree(call(base, "GET", "/v1/domains/example.test/inventory", TestAppliance.OPERATOR, null, null)
                .body());
    }

    private static JsonNode mailbox(JsonNode report, TestUser u) {
        for (JsonNode m : report.path("mailboxes")) {
            if (m.path("address").asText().equals(u.address())) {
                return m;
            }
        }
        throw new AssertionError("no mailbox " + u.address() + " in " + report);
    }

    private HttpResponse<String> call(String base, String method, String path, String auth, String body, String type)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", auth)
                .timeout(Duration.ofSeconds(30));
        b = body == null
                ? b.GET()
                : b.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static TestUser both(TestServers servers, String login) {
        TestUser user = servers.legacyImap().createUser(login, login + "-pw");
        servers.newImap().createUser(login, login + "-pw");
        return user;
    }

    private static String row(TestUser u, String legacyPassword) {
        return u.address() + "," + u.login() + "," + legacyPassword + "," + u.login() + "," + u.password();
    }

    /** Appends {@code count} messages of assorted sizes to a legacy folder (created first); [messages, bytes]. */
    private static long[] fill(ImapServer server, TestUser user, String folder, int count) throws IOException {
        long bytes = 0;
        try (Socket s = new Socket(server.host(), server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            in.readLine();
            command(out, in, "a LOGIN " + user.login() + " " + user.password());
            if (!folder.equals("INBOX")) {
                command(out, in, "c CREATE \"" + folder + "\"");
            }
            for (int i = 0; i < count; i++) {
                byte[] m = ("From: x@example.test\r\nSubject: " + folder + " " + i + "\r\nMessage-ID: <" + user.login()
                                + "." + i + "." + folder + "@api>\r\n\r\n" + "y".repeat(300 + (i * 7919) % 40_000)
                                + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                out.write(("p" + i + " APPEND \"" + folder + "\" {" + m.length + "+}\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(m);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = in.readLine();
                while (!line.startsWith("p" + i + " ")) { // untagged
                    line = in.readLine();
                }
                if (!line.startsWith("p" + i + " OK")) {
                    throw new IOException("APPEND failed: " + line);
                }
                bytes += m.length;
            }
        }
        return new long[] {count, bytes};
    }

    private static void command(OutputStream out, BufferedReader in, String line) throws IOException {
        String tag = line.substring(0, line.indexOf(' '));
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = in.readLine();
        while (!reply.startsWith(tag + " ")) { // untagged
            reply = in.readLine();
        }
        if (!reply.startsWith(tag + " OK")) {
            throw new IOException(line + ": " + reply);
        }
    }
}
