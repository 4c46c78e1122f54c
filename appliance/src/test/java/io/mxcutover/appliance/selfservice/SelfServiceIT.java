package io.mxcutover.appliance.selfservice;

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
import io.mxcutover.appliance.console.Browser;
import io.mxcutover.it.ImapServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Self-service against the real Dovecot pair, over real HTTP and in headless Chromium: mailboxes imported without
 * a password wait (nothing copied, readiness says why), a wrong password and an unknown address get the same text
 * and store nothing, the right one starts the copy (byte-exact on new) and hands the password to the set-password
 * hook on stdin only, the not-started list shrinks, and the throttle answers 429.
 */
@ExtendWith(RealServers.class)
class SelfServiceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void selfServiceShouldStartCopyOnlyWithRightPasswordAndAnswerWrongAndUnknownAlike(
            TestServers servers, @TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        String tag = Long.toString(ProcessHandle.current().pid(), 36);
        TestUser anna = both(servers, "ssanna" + tag, "anna-pw-" + tag);
        TestUser ben = both(servers, "ssben" + tag, "ben-old-pw-" + tag);
        TestUser cleo = both(servers, "sscleo" + tag, "cleo-old-pw-" + tag);
        TestUser dora = both(servers, "ssdora" + tag, "dora-old-pw-" + tag);
        for (int i = 0; i < 3; i++) {
            append(servers.legacyImap(), ben, "ben " + i);
        }
        append(servers.legacyImap(), cleo, "cleo 0");
        Path hook = dir.resolve("set-password.sh");
        Files.writeString(
                hook,
                "#!/bin/sh\nread -r pw\nprintf '%s' \"$pw\" > \"$0.stdin.$MXCUTOVER_MAILBOX\"\n"
                        + "env > \"$0.env.$MXCUTOVER_MAILBOX\"\necho \"$0 $*\" > \"$0.args.$MXCUTOVER_MAILBOX\"\n");
        assertThat(hook.toFile().setExecutable(true)).isTrue();
        Path yml = dir.resolve("service.yml");
        Files.writeString(
                yml,
                Files.readString(Path.of(ResourceHelpers.resourceFilePath("test.yml")))
                        + "hooks:\n  commands:\n    - name: set-new-password\n      events: [set-password]\n"
                        + "      command: [\"" + hook + "\", \"--quiet\"]\n");
        Files.writeString(dir.resolve("plan.yml"), """
                domains:
                  - name: example.test
                    legacy: { smtp: [ "127.0.0.1:1" ], imap: "imap://127.0.0.1:%d" }
                    new: { smtp: [ "127.0.0.1:2" ], imap: "imap://127.0.0.1:%d", mx: [ mx1.new.example ] }
                """.formatted(
                        servers.legacyImap().port(), servers.newImap().port()));
        DropwizardTestSupport<ApplianceConfiguration> app = new DropwizardTestSupport<>(
                ApplianceApplication.class,
                yml.toString(),
                ConfigOverride.config("plan", dir.resolve("plan.yml").toString()),
                ConfigOverride.config(
                        "store.path", dir.resolve("state/mxcutover.db").toString()),
                ConfigOverride.config("relay.spool", dir.resolve("spool").toString()),
                ConfigOverride.config("sync.intervalSeconds", "5"),
                ConfigOverride.config("sync.idle", "false"),
                ConfigOverride.config("sync.newMasterUser", servers.newImap().masterUser()),
                ConfigOverride.config(
                        "sync.newMasterPassword", servers.newImap().masterPassword()),
                ConfigOverride.config("sync.trustAnyCertificate", "true"),
                // One free failure per address: the throttle is reached with two wrong passwords (Dovecot answers
                // each after its auth_failure_delay of 2 s).
                ConfigOverride.config("selfService.freeFailuresPerAddress", "1"));
        app.before();
        System.out.printf("SelfServiceIT: users and appliance up after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        ChromeDriver browser = null;
        try {
            String root = "http://127.0.0.1:" + app.getLocalPort();
            String base = root + "/api";
            // anna with her password; ben, cleo and dora address only (new side: the master user).
            String csv = "address,legacy_login,legacy_password,new_login,new_password\n"
                    + anna.address() + "," + anna.login() + "," + anna.password() + ",,\n"
                    + ben.address() + ",,,,\n" + cleo.address() + ",,,,\n" + dora.address() + ",,,,\n";
            assertThat(call(base, "POST", "/v1/mailboxes", TestAppliance.ADMIN, csv, "text/csv", null)
                            .statusCode())
                    .isEqualTo(200);
            await("anna copied")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> state(base, anna).equals("SYNCED"));
            assertThat(state(base, ben)).isEqualTo("AWAITING_USER");
            assertThat(messages(servers.newImap(), ben)).isEmpty();
            assertThat(awaiting(base)).containsExactly(ben.address(), cleo.address(), dora.address());
            String history = readinessReason(base);
            assertThat(history).startsWith("3 of 4 mailboxes await their users");
            HttpResponse<String> asCsv = call(
                    base,
                    "GET",
                    "/v1/domains/example.test/mailboxes?state=AWAITING_USER",
                    TestAppliance.OPERATOR,
                    null,
                    null,
                    "text/csv");
            assertThat(asCsv.body())
                    .startsWith("address,state,imported_at")
                    .contains(ben.address() + ",AWAITING_USER,20");
            String sealedBefore = sealed(dir, ben);
            System.out.printf(
                    "SelfServiceIT: import and anna copied after %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            // A wrong password and an unknown address: the same status and text, nothing stored, both audited.
            HttpResponse<String> wrong = login(base, ben.address(), "not-" + ben.password());
            HttpResponse<String> unknown = login(base, "nobody" + tag + "@example.test", ben.password());
            assertThat(wrong.statusCode()).isEqualTo(401).isEqualTo(unknown.statusCode());
            assertThat(message(wrong)).isEqualTo(message(unknown)).isEqualTo(SelfService.REFUSED);
            assertThat(sealed(dir, ben)).isEqualTo(sealedBefore);
            assertThat(state(base, ben)).isEqualTo("AWAITING_USER");
            assertThat(login(base, ben.address(), ben.password(), null).statusCode())
                    .as("without the page's header")
                    .isEqualTo(403);

            // The right password: copy starts, the list shrinks, the hook had it on stdin only.
            HttpResponse<String> right = login(base, ben.address(), ben.password());
            assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
            assertThat(right.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith(SelfServiceSessions.COOKIE + "=")
                    .contains("HttpOnly", "SameSite=Strict");
            assertThat(right.body()).doesNotContain(ben.password());
            assertThat(sealed(dir, ben))
                    .isNotEqualTo(sealedBefore)
                    .startsWith("v1:")
                    .doesNotContain(ben.password());
            assertThat(awaiting(base)).containsExactly(cleo.address(), dora.address());
            await("ben copied")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> state(base, ben).equals("SYNCED"));
            assertThat(messages(servers.newImap(), ben)).containsExactlyElementsOf(messages(servers.legacyImap(), ben));
            assertThat(messages(servers.newImap(), ben)).hasSize(3);
            Path stdin = dir.resolve("set-password.sh.stdin." + ben.address());
            assertThat(Files.readString(stdin)).isEqualTo(ben.password());
            assertThat(Files.readString(dir.resolve("set-password.sh.env." + ben.address())))
                    .contains("MXCUTOVER_EVENT=set-password")
                    .doesNotContain(ben.password());
            assertThat(Files.readString(dir.resolve("set-password.sh.args." + ben.address())))
                    .doesNotContain(ben.password());
            String audit = call(base, "GET", "/v1/audit?limit=200", TestAppliance.OPERATOR, null, null, null)
                    .body();
            assertThat(audit)
                    .contains("selfservice.login", "refused: wrong password", "refused: not a mailbox of the plan")
                    .contains("accepted: password checked on legacy")
                    .doesNotContain(ben.password());

            // The throttle: dora's address is refused for a while after its free failure and one more, even with
            // the right password (429 with Retry-After).
            assertThat(login(base, dora.address(), "wrong-0").statusCode()).isEqualTo(401);
            assertThat(login(base, dora.address(), "wrong-1").statusCode()).isEqualTo(401);
            HttpResponse<String> throttled = login(base, dora.address(), dora.password());
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After").orElseThrow())
                    .matches("[1-9][0-9]*");
            assertThat(state(base, dora)).isEqualTo("AWAITING_USER");

            System.out.printf("SelfServiceIT: HTTP part done after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            // In a browser: cleo logs in on /migrate/ and sees her own progress.
            browser = Browser.start(dir.resolve("chromium"));
            browser.get(root + "/migrate/");
            browser.findElement(By.name("address")).sendKeys(cleo.address());
            browser.findElement(By.name("password")).sendKeys("not-her-password");
            browser.findElement(By.cssSelector("#login button")).click();
            ChromeDriver b = browser;
            await("refused in the page")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> b.findElement(By.id("login-error")).getText().equals(SelfService.REFUSED));
            Browser.screenshot(browser, "selfservice-refused");
            browser.findElement(By.name("address")).clear();
            browser.findElement(By.name("address")).sendKeys(cleo.address());
            browser.findElement(By.name("password")).sendKeys(cleo.password());
            browser.findElement(By.cssSelector("#login button")).click();
            await("progress shown")
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            b.findElement(By.id("progress-total")).getText().equals("Messages copied: 1 of 1"));
            assertThat(browser.findElement(By.id("progress-title")).getText()).contains(cleo.address());
            Browser.screenshot(browser, "selfservice-progress");
            assertThat(awaiting(base)).containsExactly(dora.address());
            await("cleo copied")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> state(base, cleo).equals("SYNCED"));
            assertThat(messages(servers.newImap(), cleo))
                    .containsExactlyElementsOf(messages(servers.legacyImap(), cleo));
            System.out.printf("SelfServiceIT: browser part done after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            app.after();
        }
    }

    private HttpResponse<String> login(String base, String address, String password) throws Exception {
        return login(base, address, password, "mxcutover-selfservice");
    }

    private HttpResponse<String> login(String base, String address, String password, String page) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("address", address, "password", password));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/self-service/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (page != null) {
            b.header("X-Requested-With", page);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("message").asText();
    }

    private String state(String base, TestUser u) throws Exception {
        return JSON.readTree(call(base, "GET", "/v1/mailboxes/" + u.address(), TestAppliance.OPERATOR, null, null, null)
                        .body())
                .path("status")
                .path("phase")
                .asText();
    }

    private List<String> awaiting(String base) throws Exception {
        JsonNode r = JSON.readTree(call(
                        base,
                        "GET",
                        "/v1/domains/example.test/mailboxes?state=AWAITING_USER",
                        TestAppliance.OPERATOR,
                        null,
                        null,
                        null)
                .body());
        List<String> out = new ArrayList<>();
        r.path("mailboxes").forEach(m -> {
            assertThat(m.path("importedAt").asText()).startsWith("20");
            out.add(m.path("address").asText());
        });
        assertThat(r.path("count").asInt()).isEqualTo(out.size());
        return out;
    }

    private String readinessReason(String base) throws Exception {
        JsonNode d =
                JSON.readTree(call(base, "GET", "/v1/domains/example.test", TestAppliance.OPERATOR, null, null, null)
                        .body());
        for (JsonNode c : d.findValues("checks").get(0)) {
            if (c.path("name").asText().equals("history")) {
                return c.path("reason").asText();
            }
        }
        throw new AssertionError("no history check in " + d);
    }

    /** The sealed legacy password of a mailbox, read straight from the store. */
    private static String sealed(Path dir, TestUser u) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/mxcutover.db"));
                PreparedStatement ps = c.prepareStatement("SELECT source_secret FROM sync_mailbox WHERE address = ?")) {
            ps.setString(1, u.address());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private HttpResponse<String> call(
            String base, String method, String path, String auth, String body, String type, String accept)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", auth)
                .timeout(Duration.ofSeconds(30));
        if (accept != null) {
            b.header("Accept", accept);
        }
        b = body == null
                ? b.GET()
                : b.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static TestUser both(TestServers servers, String login, String password) {
        TestUser user = servers.legacyImap().createUser(login, password);
        servers.newImap().createUser(login, password);
        return user;
    }

    private static void append(ImapServer server, TestUser user, String subject) throws IOException {
        try (Imap imap = new Imap(server, user)) {
            byte[] m = ("From: x@example.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.replace(' ', '.')
                            + "." + user.login() + "@selfservice>\r\n\r\nbody of " + subject + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            imap.out.write(("p APPEND INBOX {" + m.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
            imap.out.write(m);
            imap.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            imap.out.flush();
            imap.until("p");
        }
    }

    /** Every INBOX message's bytes (BODY.PEEK[]), in UID order. */
    private static List<String> messages(ImapServer server, TestUser user) throws IOException {
        try (Imap imap = new Imap(server, user)) {
            imap.command("s EXAMINE INBOX");
            imap.out.write("f UID FETCH 1:* BODY.PEEK[]\r\n".getBytes(StandardCharsets.US_ASCII));
            imap.out.flush();
            List<String> out = new ArrayList<>();
            Pattern literal = Pattern.compile("\\{(\\d+)}$");
            while (true) {
                String line = imap.line();
                if (line.startsWith("f ")) {
                    if (!line.startsWith("f OK")) {
                        throw new IOException(line);
                    }
                    return out;
                }
                Matcher m = literal.matcher(line);
                if (m.find()) {
                    out.add(new String(imap.in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    /** A raw IMAP session as the user (the test's own view of a server). */
    private static final class Imap implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Imap(ImapServer server, TestUser user) throws IOException {
            socket = new Socket(server.host(), server.port());
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            line();
            command("a LOGIN " + user.login() + " \"" + user.password() + "\"");
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        void command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            until(line.substring(0, line.indexOf(' ')));
        }

        void until(String tag) throws IOException {
            String reply = line();
            while (!reply.startsWith(tag + " ")) {
                reply = line();
            }
            if (!reply.startsWith(tag + " OK")) {
                throw new IOException(reply);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
