package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.engine.ForeignMailboxException;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestState;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defence in depth: a service built for one domain never opens a connection for a mailbox of another, whatever
 * it is asked. Its two "servers" are tripwires: loopback sockets that count every connection.
 */
class SyncServiceDomainTest {
    @TempDir
    Path dir;

    Tripwire legacy;
    Tripwire fresh;
    SyncService service;

    @BeforeEach
    void setUp() throws Exception {
        legacy = new Tripwire();
        fresh = new Tripwire();
        SyncSettings settings = SyncSettings.of(
                        ImapEndpoint.of("imap://127.0.0.1:" + legacy.port()),
                        ImapEndpoint.of("imap://127.0.0.1:" + fresh.port()))
                .withDomain("A.test");
        // A store shared with the domain b.test, as in the appliance: it holds b.test's mailbox too.
        SyncService unscoped = new SyncService(
                TestState.open(dir.resolve("state.db")),
                SyncFixture.KEY,
                SyncSettings.of(ImapEndpoint.of("imap://127.0.0.1:1"), ImapEndpoint.of("imap://127.0.0.1:1")),
                Clock.systemUTC());
        unscoped.addMailboxes(List.of(account("dora@b.test")));
        unscoped.close();
        service =
                new SyncService(TestState.open(dir.resolve("state.db")), SyncFixture.KEY, settings, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        service.close();
        legacy.close();
        fresh.close();
    }

    @Test
    void serviceShouldNeverConnectForMailboxOfOtherDomainWhateverItIsAsked() throws Exception {
        assertThat(service.syncAll(a -> true)).isEmpty();
        assertThatThrownBy(() -> service.syncOnce("dora@b.test"))
                .isInstanceOf(ForeignMailboxException.class)
                .hasMessageContaining("dora@b.test is not of domain a.test");
        assertThatThrownBy(() -> service.syncSoon("dora@b.test")).isInstanceOf(ForeignMailboxException.class);
        assertThatThrownBy(() -> service.verify("dora@b.test", true)).isInstanceOf(ForeignMailboxException.class);
        assertThatThrownBy(() -> service.checkBackup("dora@b.test", dir)).isInstanceOf(ForeignMailboxException.class);
        assertThatThrownBy(() -> service.dryRun(account("dora@b.test"))).isInstanceOf(ForeignMailboxException.class);

        assertThat(legacy.connections.get() + fresh.connections.get())
                .as("connections to a.test's servers")
                .isZero();
    }

    @Test
    void serviceShouldRefuseWholeImportWhenOneMailboxOfOtherDomain() throws Exception {
        assertThatThrownBy(() -> service.addMailboxes(List.of(account("anna@a.test"), account("ben@b.test"))))
                .isInstanceOf(ForeignMailboxException.class);
        assertThatThrownBy(() -> service.importCsv(new StringReader("anna:pw:anna@a.test\nben:pw:ben@b.test\n")))
                .hasMessageContaining("line 2: mailbox ben@b.test is not in a domain of the plan (a.test)");
        assertThat(service.mailboxes()).extracting(m -> m.address()).containsExactly("dora@b.test");
    }

    @Test
    void serviceShouldConnectForOwnMailboxWhenAsked() throws Exception {
        service.addMailboxes(List.of(account("anna@a.test")));
        MailboxResult r = service.syncOnce("anna@a.test");
        assertThat(r.phase().name()).isEqualTo("FAILED");
        assertThat(legacy.connections.get())
                .as("the tripwire is a real listener: own mailboxes reach it")
                .isPositive();
    }

    private static MailboxAccount account(String address) {
        String user = address.substring(0, address.indexOf('@'));
        return new MailboxAccount(
                address, Login.password(user, user + "-secret"), Login.password(user, user + "-secret"));
    }

    /** Accepts connections on loopback, counts them, and closes them at once. */
    static final class Tripwire implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final Thread acceptor;

        Tripwire() throws IOException {
            acceptor = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try (Socket s = socket.accept()) {
                                connections.incrementAndGet();
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "tripwire");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
