package io.mxcutover.appliance.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: the shaded jar's {@code demo} in a child process, as a user runs it. The
 * status lists example.test in RELAYING, the sample mailboxes are copied to the new server, and a message
 * sent to the relay ends up there too.
 */
class DemoIT {
    static final Path JAR = Path.of("target/mxcutover.jar");
    Process demo;
    Path log;

    @AfterEach
    void stop() throws Exception {
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) demo.destroyForcibly();
        }
    }

    @Test
    void demoShouldServeStatusSyncMailboxesAndRelayMail() throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        log = io.mxcutover.appliance.TempDirs.file("demo", ".log");
        demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-jar",
                        JAR.toString(),
                        "demo",
                        "--port",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(log).contains("Ctrl-C stops the demo"));
        String banner = Files.readString(log);
        int api = port(banner, "REST API\\s+http://localhost:(\\d+)/api/v1");
        int smtp = port(banner, "relay \\(the MX\\)\\s+SMTP 127\\.0\\.0\\.1:(\\d+)");

        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> get(api, "/status").contains("{\"name\":\"example.test\",\"phase\":\"RELAYING\"}"));
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> get(api, "/mailboxes").contains("\"mailboxesSynced\":3"));

        try (SmtpLines s = new SmtpLines("127.0.0.1", smtp)) {
            s.expect("220");
            s.send("EHLO demo-it.example").expect("250 ");
            s.send("MAIL FROM:<dana@outside.example>").expect("250");
            s.send("RCPT TO:<alice@example.test>").expect("250");
            s.send("DATA").expect("354");
            s.send(DemoCommand.SAMPLE_MESSAGE.replace("Hello from the demo", "DemoIT") + ".")
                    .expect("250");
        }
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> get(api, "/mailboxes/alice@example.test").contains("\"done\":5"));
        // Self-service: the banner names the page, the address and the old password; logging in starts the copy.
        assertThat(banner)
                .contains("http://localhost:" + api + "/migrate/")
                .contains("address dave@example.test   old password dave-old-pw");
        assertThat(get(api, "/domains/example.test/mailboxes?state=AWAITING_USER"))
                .contains("dave@example.test");
        HttpRequest login = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/api/v1/self-service/login"))
                .header("Content-Type", "application/json")
                .header("X-Requested-With", "mxcutover-selfservice")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"address\":\"dave@example.test\",\"password\":\"dave-old-pw\"}"))
                .build();
        assertThat(HttpClient.newHttpClient()
                        .send(login, HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> get(api, "/mailboxes/dave@example.test").contains("\"phase\":\"SYNCED\""));
        assertThat(get(api, "/domains/example.test/mailboxes?state=AWAITING_USER"))
                .contains("\"count\":0");
        assertThat(Files.readString(log)).doesNotContain("ERROR").doesNotContain("dave-old-pw\n\tat");
    }

    static int port(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("banner has %s:%n%s", regex, text).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static String get(int port, String path) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString("ops:ops-demo-pw".getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                .header("Authorization", "Basic " + auth)
                .timeout(Duration.ofSeconds(10))
                .build();
        return HttpClient.newHttpClient()
                .send(r, HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Send a line, expect a reply prefix. */
    static final class SmtpLines implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedReader in;
        private final java.io.OutputStream out;

        SmtpLines(String host, int port) throws IOException {
            socket = new java.net.Socket(host, port);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        SmtpLines send(String line) throws IOException {
            out.write((line.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return this;
        }

        SmtpLines expect(String prefix) throws IOException {
            String line;
            do {
                line = in.readLine();
                assertThat(line).as("reply").isNotNull();
            } while (line.length() > 3 && line.charAt(3) == '-');
            assertThat(line).startsWith(prefix);
            return this;
        }

        @Override
        public void close() throws IOException {
            send("QUIT");
            socket.close();
        }
    }
}
