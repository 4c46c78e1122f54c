package io.mxcutover.sync.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.it.MutableClock;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.testing.MemoryMailbox;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestState;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions under the cluster's connection caps: a session whose slot was not renewed in time stops at its next
 * command or FETCH (another node may take the slot once it expires; the server would see more connections than
 * the cap), a stopped or dead node opens nothing, and the wrapper passes on every store method (a method left to
 * the interface's default loses what the real session does, e.g. one STATUS round trip for all the folders).
 */
class SlottedSessionsTest {
    private static final Duration PERIOD = Duration.ofSeconds(30);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path dir;

    private static DataSource ds;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final String legacyKey = "legacy" + SEQ.incrementAndGet() + ".test:143";
    private final MemoryMailbox legacy = new MemoryMailbox(legacyKey, new Namespace("INBOX.", '.'), 1000, 2);
    private final MemoryMailbox target =
            new MemoryMailbox("new" + SEQ.get() + ".test:143", new Namespace("", '.'), 5000, 2);
    private final MailboxAccount account = SyncFixture.account("anna");
    private NodeLeases node;
    private SlottedSessions sessions;

    @BeforeAll
    static void database() {
        ds = TestState.open(dir.resolve("sync.db"));
    }

    @BeforeEach
    void open() {
        for (int i = 0; i < 6; i++) {
            legacy.deliver(
                    "INBOX",
                    ("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII),
                    Set.of(),
                    0);
        }
        node = new NodeLeases(ds, new LeaseSettings("n1", PERIOD, 4, 4), clock, clock::advance);
        sessions = new SlottedSessions(MemoryMailbox.sessions(legacy, target), node, legacyKey, "new.test:143");
    }

    @Test
    void aSessionWhoseSlotIsRenewedShouldWorkAndFreeItsSlotWhenClosed() throws Exception {
        try (SourceStore s = sessions.openSource(account)) {
            assertThat(node.slotsHeld(legacyKey)).isEqualTo(1);
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofSeconds(10));
                node.renewDue();
                assertThat(s.status("INBOX")).isPresent();
            }
            assertThat(read(s, null)).hasSize(6);
        }
        assertThat(node.slotsHeld(legacyKey)).isZero();
    }

    @Test
    void aFetchShouldStopAtTheNextFetchOnceTheSlotIsNoLongerRenewed() throws Exception {
        try (SourceStore s = sessions.openSource(account)) {
            // Renewals stall (a slow database) while the first FETCH is read: two thirds of the period pass.
            List<Long> got = new ArrayList<>();
            assertThatThrownBy(() -> read(s, got))
                    .isInstanceOf(ImapException.class)
                    .hasMessageContaining("connection slot")
                    .hasMessageContaining(legacyKey)
                    .hasMessageContaining("was not renewed in time");
            assertThat(got).as("the first FETCH's bodies, nothing after").containsExactly(1L, 2L);
            assertThatThrownBy(() -> s.status("INBOX")).isInstanceOf(ImapException.class);
            assertThatThrownBy(() -> s.statuses(List.of("INBOX", "INBOX.Work"))).isInstanceOf(ImapException.class);
        }
        assertThat(node.slotsHeld(legacyKey)).as("closing frees it").isZero();
    }

    @Test
    void aSlotARenewalFindsExpiredShouldStayLost() throws Exception {
        try (SourceStore s = sessions.openSource(account)) {
            clock.advance(PERIOD.plusSeconds(1));
            node.renewDue(); // too late: expired in the database, perhaps taken by another node
            assertThatThrownBy(() -> s.select("INBOX"))
                    .isInstanceOf(ImapException.class)
                    .hasMessageContaining("was not renewed in time");
            node.renewDue(); // a lost slot is not renewed again
            assertThatThrownBy(() -> s.select("INBOX")).isInstanceOf(ImapException.class);
        }
    }

    @Test
    void aTargetSessionShouldStopWritingOnceItsSlotLapsed() throws Exception {
        try (TargetStore t = sessions.openTarget(account)) {
            t.createFolder("Work");
            clock.advance(PERIOD.dividedBy(3).multipliedBy(2).plusSeconds(1));
            assertThatThrownBy(() -> t.createFolder("Later")).isInstanceOf(ImapException.class);
            assertThatThrownBy(() -> t.storeFlags(1, Set.of("\\Seen"), Set.of()))
                    .isInstanceOf(ImapException.class);
        }
        assertThat(target.folderNames()).contains("Work").doesNotContain("Later");
    }

    @Test
    void aDeadNodesSessionsShouldStopAndAStoppedNodeShouldOpenNone() throws Exception {
        try (SourceStore s = sessions.openSource(account)) {
            node.abandon();
            assertThatThrownBy(() -> s.folders())
                    .as("a dead node's connections die with it")
                    .isInstanceOf(ImapException.class);
        }
        assertThatThrownBy(() -> sessions.openSource(account))
                .isInstanceOf(ImapException.class)
                .hasMessageContaining("node stopping");
        NodeLeases stopped = new NodeLeases(ds, new LeaseSettings("n2", PERIOD, 4, 4), clock, clock::advance);
        stopped.close();
        assertThat(stopped.slot(legacyKey, 2, LeaseRules.SlotUse.COPY, "anna copy", false))
                .isEmpty();
    }

    @Test
    void theWrappersShouldPassOnEveryMethodOfTheStores() {
        for (Method m : SourceStore.class.getMethods()) {
            assertThat(declaring(SlottedSessions.SlottedSource.class, m))
                    .as("SlottedSource passes on %s", m.getName())
                    .isNotEqualTo(SourceStore.class);
        }
        for (Method m : TargetStore.class.getMethods()) {
            assertThat(declaring(SlottedSessions.SlottedTarget.class, m))
                    .as("SlottedTarget passes on %s", m.getName())
                    .isNotIn(SourceStore.class, TargetStore.class);
        }
        for (Method m : SourceStore.BodySink.class.getMethods()) {
            assertThat(m.isDefault() || m.getName().equals("accept"))
                    .as("a BodySink method the FETCH wrapper does not know: %s", m.getName())
                    .isTrue();
            assertThat(List.of("accept", "beforeFetch", "endOfBatch", "firstBatchBytes", "takesStreams"))
                    .as("the FETCH wrapper in SlottedSource passes on %s", m.getName())
                    .contains(m.getName());
        }
    }

    private static Class<?> declaring(Class<?> impl, Method m) {
        try {
            return impl.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** Selects INBOX and fetches every body; with {@code got}, stalls the renewals after the first body. */
    private List<Long> read(SourceStore s, List<Long> got) throws ImapException {
        s.select("INBOX");
        FolderSnapshot snap = s.snapshot("INBOX");
        List<Long> out = got == null ? new ArrayList<>() : got;
        s.fetchBodies(snap.messages(), new SourceStore.BodySink() {
            @Override
            public void accept(RawMessage message) {
                out.add(message.meta().uid());
                message.close();
                if (got != null && out.size() == 1) {
                    clock.advance(PERIOD.dividedBy(3).multipliedBy(2).plusSeconds(1));
                }
            }
        });
        return out;
    }
}
