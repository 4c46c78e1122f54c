package io.mxcutover.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestState;
import io.mxcutover.sync.throttle.ServerGates;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new server's session of a pass: a mailbox that is not yet SYNCED (its history copy, a retry) logs in on the
 * new server while the legacy is read; a SYNCED one with nothing new never logs in there.
 */
class MailboxSyncEarlyTargetTest {
    static final MailboxAccount ACCOUNT = SyncFixture.account("early");
    private static final SyncSettings SETTINGS = SyncSettings.of(
                    ImapEndpoint.of("imap://legacy.test:143"), ImapEndpoint.of("imap://new.test:143"))
            .withImap(ImapSettings.defaults().withBatch(4, 1L << 20));

    /** The crash test's pair, recording on which thread each new-server session was opened. */
    static class Recording extends MailboxSyncCrashTest.Servers {
        final List<String> targetOpens = new CopyOnWriteArrayList<>();
        volatile ImapException refuseTarget;
        volatile ImapException refuseSource;

        @Override
        public SourceStore openSource(MailboxAccount account) throws ImapException {
            if (refuseSource != null) {
                throw refuseSource;
            }
            return super.openSource(account);
        }

        @Override
        public TargetStore openTarget(MailboxAccount account) throws ImapException {
            targetOpens.add(Thread.currentThread().getName());
            if (refuseTarget != null) {
                throw refuseTarget;
            }
            return super.openTarget(account);
        }
    }

    static SyncStore store(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        SyncStore store = new SyncStore(TestState.open(dir.resolve("s.db")), Clock.systemUTC());
        store.saveMailboxes(List.of(ACCOUNT), SecretBox.fromKeyFile(dir.resolve("key")));
        return store;
    }

    static MailboxSync engine(SyncStore store, MailboxSessions servers) {
        return engine(store, servers, FaultInjector.NONE);
    }

    static MailboxSync engine(SyncStore store, MailboxSessions servers, FaultInjector faults) {
        return new MailboxSync(
                store,
                SETTINGS,
                Clock.systemUTC(),
                faults,
                false,
                f -> true,
                new ServerGates(Clock.systemUTC(), SETTINGS.throttling()),
                servers);
    }

    @Test
    void historyCopyShouldOpenTheNewServerEarlyAndASyncedPassWithNothingNewNotAtAll(@TempDir Path dir)
            throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();

        MailboxResult first = engine(store, servers).run(ACCOUNT);
        assertThat(first.complete()).as(first.toString()).isTrue();
        assertThat(servers.targetOpens).containsExactly("target-open");
        servers.assertTargetHoldsTheSourceOnce("the history copy");

        MailboxResult second = engine(store, servers).run(ACCOUNT);
        assertThat(second.complete()).isTrue();
        assertThat(second.copied()).isZero();
        assertThat(servers.targetOpens).as("nothing new: no login on new").hasSize(1);
    }

    @Test
    void aNewServerThatRefusesTheLoginShouldFailThePassWithItsReason(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();
        servers.refuseTarget = new ImapException(
                ImapException.Kind.AUTHENTICATION,
                "cannot log in to target server new.test:143 as early: authentication failed",
                "NO [AUTHENTICATIONFAILED] Authentication failed.",
                null,
                "new.test:143");

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.phase()).isEqualTo(MailboxStatus.Phase.FAILED);
        assertThat(r.reason()).contains("cannot log in to target server new.test:143", "authentication failed");
        assertThat(store.mailbox(ACCOUNT.address()).orElseThrow().phase()).isEqualTo(MailboxStatus.Phase.FAILED);
    }

    /**
     * The legacy session is opened first, the early one only once it is open: under the cluster's connection caps
     * every pass takes its slots in that order, so passes never wait on each other in a cycle. A legacy that
     * refuses the login costs the new server nothing.
     */
    @Test
    void theNewServerShouldBeOpenedOnlyOnceTheLegacySessionIsOpen(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        List<String> order = new CopyOnWriteArrayList<>();
        Recording servers = new Recording() {
            @Override
            public SourceStore openSource(MailboxAccount account) throws ImapException {
                SourceStore s = super.openSource(account);
                order.add("legacy open");
                return s;
            }

            @Override
            public TargetStore openTarget(MailboxAccount account) throws ImapException {
                order.add("new opening");
                return super.openTarget(account);
            }
        };
        assertThat(engine(store, servers).run(ACCOUNT).complete()).isTrue();
        assertThat(order).containsExactly("legacy open", "new opening");

        SyncStore refused = store(dir.resolve("refused"));
        Recording legacyRefuses = new Recording();
        legacyRefuses.refuseSource = new ImapException(
                ImapException.Kind.AUTHENTICATION,
                "cannot log in to source server legacy.test:143 as early: authentication failed",
                "NO [AUTHENTICATIONFAILED] Authentication failed.",
                null,
                "legacy.test:143");

        MailboxResult r = engine(refused, legacyRefuses).run(ACCOUNT);

        assertThat(r.phase()).isEqualTo(MailboxStatus.Phase.FAILED);
        assertThat(r.reason()).contains("cannot log in to source server legacy.test:143");
        assertThat(legacyRefuses.targetOpens).as("no login on new").isEmpty();
    }

    /** A pass that fails after the early open (a legacy folder refused) closes the new-server session too. */
    @Test
    void anEarlySessionShouldBeClosedWhenThePassEndsWithoutUsingIt(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        CountDownLatch closed = new CountDownLatch(1);
        Recording servers = new Recording() {
            @Override
            public SourceStore openSource(MailboxAccount account) throws ImapException {
                SourceStore real = super.openSource(account);
                return (SourceStore) Proxy.newProxyInstance(
                        SourceStore.class.getClassLoader(), new Class<?>[] {SourceStore.class}, (p, m, args) -> {
                            if (m.getName().equals("folders")) {
                                throw new ImapException(
                                        ImapException.Kind.CONNECTION,
                                        "connection to legacy.test:143 lost while listing folders",
                                        "",
                                        null,
                                        "legacy.test:143");
                            }
                            try {
                                return m.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public TargetStore openTarget(MailboxAccount account) throws ImapException {
                TargetStore real = super.openTarget(account);
                return (TargetStore) Proxy.newProxyInstance(
                        TargetStore.class.getClassLoader(), new Class<?>[] {TargetStore.class}, (p, m, args) -> {
                            if (m.getName().equals("close")) {
                                closed.countDown();
                            }
                            try {
                                return m.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.complete()).isFalse();
        assertThat(r.reason()).contains("connection to legacy.test:143 lost");
        assertThat(closed.await(10, TimeUnit.SECONDS))
                .as("the new-server session opened early is closed")
                .isTrue();
    }
}
