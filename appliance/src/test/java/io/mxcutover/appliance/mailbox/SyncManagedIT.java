package io.mxcutover.appliance.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.HostPort;
import io.mxcutover.appliance.plan.ImapEndpoint;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The appliance's sync against the real Dovecot pair: import, final pass, readiness facts for the cutover. */
@ExtendWith(RealServers.class)
class SyncManagedIT {
    @Test
    void finalPassShouldCopyMailboxAndReportHistoryCopiedWhenServersInPlan(TestServers servers, @TempDir Path dir)
            throws Exception {
        String login = "appl" + ProcessHandle.current().pid();
        TestUser legacyUser = servers.legacyImap().createUser(login, login + "-pw");
        servers.newImap().createUser(login, login + "-pw");
        appendTo(servers.legacyImap().host(), servers.legacyImap().port(), legacyUser);

        Store store = Store.open(dir.resolve("state.db"));
        Side legacy = new Side(List.of(new HostPort("127.0.0.1", 25)),
                Optional.of(new ImapEndpoint(servers.legacyImap().host(), servers.legacyImap().port(), false)), List.of());
        Side fresh = new Side(List.of(new HostPort("127.0.0.1", 25)),
                Optional.of(new ImapEndpoint(servers.newImap().host(), servers.newImap().port(), false)), List.of());
        MigrationPlan plan = new MigrationPlan(dir.resolve("plan.yml"), "x", Duration.ofHours(48), Duration.ofHours(1),
                List.of(new DomainPlan(servers.domain(), false, true, legacy, fresh, List.of())));
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.trustAnyCertificate = true;
        config.enabled = false;
        SyncManaged sync = new SyncManaged(config, () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING,
                Clock.systemUTC());
        try {
            sync.start();
            sync.importCsv(new StringReader(login + ":" + login + "-pw:" + legacyUser.address() + "\n"));
            // Dovecot re-reads its passwd-file at most once a second.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    sync.finalPass(servers.domain()).stream().allMatch(p -> p.error().isEmpty()));
            assertThat(sync.progress(servers.domain())).singleElement()
                    .satisfies(p -> assertThat(p.historyCopied()).isTrue());
            assertThat(sync.summary(servers.domain()).messagesCopied()).isEqualTo(1);
            List<FinalPass> again = sync.finalPass(servers.domain());
            assertThat(again).singleElement().satisfies(p -> assertThat(p.additionalMessages()).isZero());
            assertThat(sync.verify(legacyUser.address()).orElseThrow().verdict().name()).isEqualTo("READY");
        } finally {
            sync.stop();
        }
    }

    static void appendTo(String host, int port, TestUser user) throws Exception {
        byte[] msg = "From: a@example.test\r\nSubject: appliance\r\nMessage-ID: <appl@x>\r\n\r\nhi\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket(host, port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                in.readLine();
                out.write(("a LOGIN " + user.login() + " " + user.password() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line;
                while (!(line = in.readLine()).startsWith("a ")) {
                    // untagged
                }
                if (!line.startsWith("a OK")) {
                    return false;
                }
                out.write(("b APPEND INBOX {" + msg.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(msg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (!(line = in.readLine()).startsWith("b ")) {
                    // untagged
                }
                return line.startsWith("b OK");
            }
        });
    }
}
