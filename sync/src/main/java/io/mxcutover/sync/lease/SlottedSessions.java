package io.mxcutover.sync.lease;

import io.mxcutover.sync.engine.MailboxSessions;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import io.mxcutover.sync.throttle.ServerGates;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pass's sessions under the cluster-wide caps: each session holds a slot of its server from before it is opened
 * until it is closed (a slot is {@link LeaseRules#CONNECTIONS_PER_SESSION} connections, so a cap of 40 is 20
 * slots); opening waits for a free slot. The legacy session is always opened first, so passes waiting for slots
 * never wait on each other in a cycle. Each command, and each FETCH of a body fetch, first checks that the slot is
 * still held ({@link HeldSlot#check}): a session whose slot lapsed fails instead of going on past the cap.
 */
public final class SlottedSessions implements MailboxSessions {
    private final MailboxSessions sessions;
    private final NodeLeases leases;
    private final String source;
    private final String target;

    /** {@code source}/{@code target}: the servers' keys ({@link ServerGates#key}). */
    public SlottedSessions(MailboxSessions sessions, NodeLeases leases, String source, String target) {
        this.sessions = sessions;
        this.leases = leases;
        this.source = source;
        this.target = target;
    }

    @Override
    public SourceStore openSource(MailboxAccount account) throws ImapException {
        HeldSlot slot = take(source, LeaseRules.sessionSlots(leases.settings().maxLegacyConnections()), account);
        try {
            return new SlottedSource(sessions.openSource(account), slot);
        } catch (ImapException | RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    @Override
    public TargetStore openTarget(MailboxAccount account) throws ImapException {
        HeldSlot slot = take(target, LeaseRules.sessionSlots(leases.settings().maxNewConnections()), account);
        try {
            return new SlottedTarget(sessions.openTarget(account), slot);
        } catch (ImapException | RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    private HeldSlot take(String server, int cap, MailboxAccount account) throws ImapException {
        try {
            Optional<HeldSlot> s = leases.slot(server, cap, LeaseRules.SlotUse.COPY, account.address() + " copy", true);
            if (s.isEmpty()) {
                throw new ImapException(
                        ImapException.Kind.CONNECTION,
                        "no connection slot of " + server + " (node stopping)",
                        "",
                        null);
            }
            return s.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapException(
                    ImapException.Kind.CONNECTION, "interrupted waiting for a connection slot of " + server, "", e);
        }
    }

    /** A source session that frees its slot when it closes. */
    static class SlottedSource implements SourceStore {
        private final SourceStore session;
        final HeldSlot slot;

        SlottedSource(SourceStore session, HeldSlot slot) {
            this.session = session;
            this.slot = slot;
        }

        @Override
        public String label() {
            return session.label();
        }

        @Override
        public Namespace namespace() throws ImapException {
            slot.check();
            return session.namespace();
        }

        @Override
        public List<FolderInfo> folders() throws ImapException {
            slot.check();
            return session.folders();
        }

        @Override
        public Optional<SideStatus> status(String folder) throws ImapException {
            slot.check();
            return session.status(folder);
        }

        @Override
        public FolderSnapshot snapshot(String folder) throws ImapException {
            slot.check();
            return session.snapshot(folder);
        }

        @Override
        public void select(String folder) throws ImapException {
            slot.check();
            session.select(folder);
        }

        @Override
        public Map<String, Optional<SideStatus>> statuses(List<String> folders) throws ImapException {
            slot.check();
            return session.statuses(folders); // one round trip where the session batches them
        }

        @Override
        public void fetchBodies(List<MessageMeta> messages, BodySink sink) throws ImapException {
            slot.check();
            session.fetchBodies(messages, new BodySink() {
                @Override
                public void accept(RawMessage message) throws ImapException {
                    sink.accept(message);
                }

                @Override
                public void beforeFetch() throws ImapException {
                    slot.check(); // a fetch of many batches stops at the next FETCH once the slot lapsed
                    sink.beforeFetch();
                }

                @Override
                public void endOfBatch() throws ImapException {
                    sink.endOfBatch();
                }

                @Override
                public long firstBatchBytes() {
                    return sink.firstBatchBytes();
                }

                @Override
                public boolean takesStreams() {
                    return sink.takesStreams();
                }
            });
        }

        @Override
        public Map<Long, String> contentHashes(List<MessageMeta> messages) throws ImapException {
            slot.check();
            return session.contentHashes(messages);
        }

        @Override
        public void close() {
            try {
                session.close();
            } finally {
                slot.close(); // after the logout: the slot is free only once the connection is gone
            }
        }
    }

    /** A target session that frees its slot when it closes. */
    static final class SlottedTarget extends SlottedSource implements TargetStore {
        private final TargetStore target;

        SlottedTarget(TargetStore session, HeldSlot slot) {
            super(session, slot);
            this.target = session;
        }

        @Override
        public void createFolder(String folder) throws ImapException {
            slot.check();
            target.createFolder(folder);
        }

        @Override
        public void subscribe(String folder) throws ImapException {
            slot.check();
            target.subscribe(folder);
        }

        @Override
        public List<String> createFolders(List<String> folders, Set<String> subscribe) throws ImapException {
            slot.check();
            return target.createFolders(folders, subscribe);
        }

        @Override
        public List<Long> append(String folder, List<RawMessage> messages) throws ImapException {
            slot.check();
            return target.append(folder, messages);
        }

        @Override
        public PendingAppend startAppend(String folder, List<RawMessage> messages) throws ImapException {
            slot.check();
            return target.startAppend(folder, messages);
        }

        @Override
        public boolean appendsStreams() {
            return target.appendsStreams();
        }

        @Override
        public void storeFlags(long uid, Set<String> add, Set<String> remove) throws ImapException {
            slot.check();
            target.storeFlags(uid, add, remove);
        }
    }
}
