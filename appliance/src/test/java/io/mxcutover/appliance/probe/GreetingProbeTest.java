package io.mxcutover.appliance.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.PlanImapUrl;
import io.mxcutover.appliance.plan.Side;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe against tiny loopback listeners that greet (or not) like SMTP and IMAP servers. */
class GreetingProbeTest {
    final GreetingProbe probe = new GreetingProbe(Duration.ofSeconds(2), Duration.ofMillis(300), "relay.test");
    final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<ServerSocket> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    @Test
    void probeShouldFindSmtpReachableWhenServerTakesTheDomainsPostmaster() throws Exception {
        int port = smtpServer("220-mx.new.test ESMTP ready\r\n220 second greeting line\r\n", "250 2.1.5 Ok");

        ProbeResult r = probe.newSmtp(domain(List.of(new PlanHostPort("127.0.0.1", port)), 1));

        assertThat(r.reachable()).isTrue();
        assertThat(r.detail())
                .startsWith("127.0.0.1:" + port + " answered 220 mx.new.test ESMTP ready and takes mail"
                        + " for a.test (RCPT TO:<postmaster@a.test>: 250 2.1.5 Ok)");
        // The server thread records QUIT after the probe has left.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(commands)
                        .containsExactly("EHLO relay.test", "MAIL FROM:<>", "RCPT TO:<postmaster@a.test>", "QUIT"));
    }

    @Test
    void probeShouldFindSmtpUnreachableWhenServerGreetsButRefusesTheDomain() throws Exception {
        // A new server that is not set up for the domain yet greets like any other and refuses every recipient.
        int port = smtpServer("220 mx.new.test ESMTP\r\n", "554 5.7.1 <postmaster@a.test>: Relay access denied");

        ProbeResult r = probe.newSmtp(domain(List.of(new PlanHostPort("127.0.0.1", port)), 1));

        assertThat(r.reachable()).isFalse();
        assertThat(r.detail())
                .contains(
                        "does not take mail for a.test",
                        "answered '554 5.7.1 <postmaster@a.test>: Relay access denied'",
                        "before go-live");
        assertThat(commands).doesNotContain("DATA");
    }

    @Test
    void probeShouldFindSmtpUnreachableWhenRecipientIsDeferred() throws Exception {
        int port = smtpServer("220 mx.new.test ESMTP\r\n", "451 4.3.0 try again later");

        ProbeResult r = probe.newSmtp(domain(List.of(new PlanHostPort("127.0.0.1", port)), 1));

        assertThat(r.reachable()).isFalse();
        assertThat(r.detail()).contains("451 4.3.0 try again later", "temporary");
    }

    @Test
    void probeShouldTryNextSmtpHopWhenFirstRefuses() throws Exception {
        int closed = freePort();
        int port = smtpServer("220 second hop\r\n", "250 Ok");

        ProbeResult r = probe.newSmtp(
                domain(List.of(new PlanHostPort("127.0.0.1", closed), new PlanHostPort("127.0.0.1", port)), 1));

        assertThat(r.reachable()).isTrue();
        assertThat(r.detail()).contains("second hop");
    }

    @Test
    void probeShouldFindSmtpUnreachableWhenServerRefusesWith554() throws Exception {
        int port = greeter("554 no service for you\r\n");

        ProbeResult r = probe.newSmtp(domain(List.of(new PlanHostPort("127.0.0.1", port)), 1));

        assertThat(r.reachable()).isFalse();
        assertThat(r.detail()).contains("greeted with '554 no service for you' instead of 220");
    }

    @Test
    void probeShouldFindServerUnreachableWhenNothingListens() throws Exception {
        int closed = freePort();

        ProbeResult r = probe.newImap(domain(List.of(), closed));

        assertThat(r.reachable()).isFalse();
        assertThat(r.detail()).contains("127.0.0.1:" + closed, "connection refused");
    }

    @Test
    void probeShouldFindImapUnreachableWhenServerStaysSilent() throws Exception {
        int port = greeter(null);

        ProbeResult r = probe.newImap(domain(List.of(), port));

        assertThat(r.reachable()).isFalse();
        assertThat(r.detail()).contains("no answer within the timeout");
    }

    @Test
    void probeShouldFindImapReachableWhenServerGreetsWithOk() throws Exception {
        int port = greeter("* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n");

        ProbeResult r = probe.newImap(domain(List.of(), port));

        assertThat(r.reachable()).isTrue();
        assertThat(r.detail()).contains("* OK");
    }

    @Test
    void probeShouldSayWhatIsMissingWhenPlanHasNoNewTargets() {
        DomainPlan d = new DomainPlan(
                "a.test",
                false,
                true,
                new Side(List.of(), Optional.empty(), List.of()),
                new Side(List.of(), Optional.empty(), List.of("mx1.new.test")),
                List.of());

        assertThat(probe.newSmtp(d).detail()).contains("no new.smtp next hop");
        assertThat(probe.newImap(d).detail()).contains("no new.imap server");
    }

    private static DomainPlan domain(List<PlanHostPort> smtp, int imapPort) {
        Side legacy = new Side(List.of(new PlanHostPort("127.0.0.1", 1)), Optional.empty(), List.of());
        Side target =
                new Side(smtp, Optional.of(new PlanImapUrl("127.0.0.1", imapPort, false)), List.of("mx1.new.test"));
        return new DomainPlan("a.test", false, true, legacy, target, List.of());
    }

    /** Accepts one connection, writes {@code greeting} (or nothing), then reads until the client leaves. */
    private int greeter(String greeting) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread t = new Thread(
                () -> {
                    try (Socket s = server.accept()) {
                        if (greeting != null) {
                            s.getOutputStream().write(greeting.getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                        }
                        InputStream in = s.getInputStream();
                        while (in.read() >= 0) {
                            // drain until the probe closes
                        }
                    } catch (IOException e) {
                        // the test closed the server
                    }
                },
                "greeter");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /**
     * Accepts one connection and plays an SMTP server: {@code greeting}, 250 to EHLO and MAIL, {@code rcptReply}
     * to RCPT, 221 to QUIT; records each command line in {@link #commands}.
     */
    private int smtpServer(String greeting, String rcptReply) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread t = new Thread(
                () -> {
                    try (Socket s = server.accept()) {
                        java.io.BufferedReader in = new java.io.BufferedReader(
                                new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        java.io.OutputStream out = s.getOutputStream();
                        out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        for (String line; (line = in.readLine()) != null; ) {
                            commands.add(line);
                            String reply = line.startsWith("EHLO")
                                    ? "250-mx.new.test\r\n250 8BITMIME"
                                    : line.startsWith("MAIL")
                                            ? "250 2.1.0 Ok"
                                            : line.startsWith("RCPT")
                                                    ? rcptReply
                                                    : line.startsWith("QUIT") ? "221 Bye" : "502 5.5.2 not here";
                            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            if (line.startsWith("QUIT")) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // the test closed the server
                    }
                },
                "smtp-server");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
