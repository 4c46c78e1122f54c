package io.mxcutover.sync.testing;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One user's mailbox on a fake server, in memory: folders with UIDVALIDITY and UIDNEXT, messages with their
 * UID, exact bytes, flags and INTERNALDATE, and injectable faults. It is not IMAP: it is what the engine sees
 * through the session types, so a whole pass runs in microseconds. {@link #openSource()} gives a
 * {@link SourceStore} (its type cannot write), {@link #openTarget()} a {@link TargetStore}.
 *
 * <p>Like a server: UIDs only grow, UIDVALIDITY is set when a folder is created, an APPEND of several messages
 * is all or nothing (MULTIAPPEND), a closed session answers nothing. Thread-safe: the copy's fetcher thread
 * reads while the engine's thread appends, so every access holds the model's lock.
 */
public final class MemoryMailbox {
    /** The server operations a {@link Fault} can make fail. */
    public enum Op {
        LOGIN,
        LIST,
        STATUS,
        SELECT,
        FETCH,
        CREATE,
        SUBSCRIBE,
        APPEND,
        STORE
    }

    /**
     * An injected fault: {@link #before} runs before the server does {@code op}, {@link #after} once it has
     * done it but before the client hears the reply (a reply lost with the connection). Either throws to fail.
     */
    public interface Fault {
        Fault NONE = (op, folder) -> {};

        void before(Op op, String folder) throws ImapException;

        default void after(Op op, String folder) throws ImapException {}
    }

    /** A message as the server stores it. */
    @SuppressWarnings("ArrayRecordComponent") // the bytes are copied in and out; a Message is never compared whole
    public record Message(long uid, byte[] bytes, Set<String> flags, long internalDate) {
        public Message {
            bytes = bytes.clone();
            flags = Set.copyOf(flags);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** What a client can tell of it, for comparisons: SHA-256, flags, INTERNALDATE (the UID left out). */
        public String content() {
            return SyncFixture.sha256(bytes) + " " + new TreeSet<>(flags) + " " + internalDate;
        }
    }

    private static final class Folder {
        final long uidValidity;
        final TreeMap<Long, Message> messages = new TreeMap<>();
        long uidNext = 1;
        boolean subscribed = true;

        Folder(long uidValidity) {
            this.uidValidity = uidValidity;
        }
    }

    private final String server;
    private final Namespace namespace;
    private final int fetchBatch;
    private final Map<String, Folder> folders = new LinkedHashMap<>();
    private long nextUidValidity;
    private int clientWrites;
    private volatile Fault fault = Fault.NONE;

    /** {@code server}: host:port as sessions name it; {@code fetchBatch}: messages per body FETCH. */
    public MemoryMailbox(String server, Namespace namespace, long firstUidValidity, int fetchBatch) {
        this.server = server;
        this.namespace = namespace;
        this.nextUidValidity = firstUidValidity;
        this.fetchBatch = fetchBatch;
        folders.put("INBOX", new Folder(nextUidValidity++));
    }

    public void inject(Fault f) {
        this.fault = f;
    }

    // ---- the server's side: delivery and inspection (not through a session) ------------------------

    /** Creates a folder as the user's own client would (not counted as a sync write). */
    public synchronized void deliverFolder(String name) {
        folders.computeIfAbsent(name, n -> new Folder(nextUidValidity++));
    }

    /** A message delivered by the server itself (not counted as a sync write); returns its UID. */
    public synchronized long deliver(String folder, byte[] bytes, Set<String> flags, long internalDate) {
        Folder f = folders.get(folder);
        long uid = f.uidNext++;
        f.messages.put(uid, new Message(uid, bytes, flags, internalDate));
        return uid;
    }

    public synchronized List<String> folderNames() {
        return List.copyOf(folders.keySet());
    }

    public synchronized List<Message> messages(String folder) {
        Folder f = folders.get(folder);
        return f == null ? List.of() : List.copyOf(f.messages.values());
    }

    /** Everything a client could see, UIDVALIDITY and UIDs included: equal before and after means untouched. */
    public synchronized Map<String, List<String>> contents() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        folders.forEach((name, f) -> {
            List<String> lines = new ArrayList<>();
            lines.add("UIDVALIDITY " + f.uidValidity + " UIDNEXT " + f.uidNext + " subscribed " + f.subscribed);
            f.messages.values().forEach(m -> lines.add(m.uid() + " " + m.content()));
            out.put(name, lines);
        });
        return out;
    }

    /** How many commands that change the mailbox sessions have carried out (CREATE, SUBSCRIBE, APPEND, STORE). */
    public synchronized int clientWrites() {
        return clientWrites;
    }

    // ---- sessions ------------------------------------------------------------------------------

    /** A read-only session, as the sync opens the legacy side. */
    /** A pass's sessions on two in-memory servers: the source on {@code legacy}, the target on {@code target}. */
    public static io.mxcutover.sync.engine.MailboxSessions sessions(MemoryMailbox legacy, MemoryMailbox target) {
        return new io.mxcutover.sync.engine.MailboxSessions() {
            @Override
            public SourceStore openSource(io.mxcutover.sync.mailbox.MailboxAccount account) throws ImapException {
                return legacy.openSource();
            }

            @Override
            public TargetStore openTarget(io.mxcutover.sync.mailbox.MailboxAccount account) throws ImapException {
                return target.openTarget();
            }
        };
    }

    public SourceStore openSource() throws ImapException {
        fault.before(Op.LOGIN, "");
        return new ReadSession("source");
    }

    /** A read-write session, as the sync opens the new side. */
    public TargetStore openTarget() throws ImapException {
        fault.before(Op.LOGIN, "");
        return new WriteSession("target");
    }

    private class ReadSession implements SourceStore {
        final String label;
        volatile boolean closed;
        String selected;

        ReadSession(String side) {
            this.label = side + " server " + server;
        }

        @Override
        public String label() {
            return label;
        }

        void before(Op op, String folder) throws ImapException {
            if (closed) {
                throw new ImapException(
                        ImapException.Kind.CONNECTION, op + " on a closed session of " + label, "", null, server);
            }
            fault.before(op, folder);
        }

        ImapException refused(String what, String text) {
            return new ImapException(
                    ImapException.Kind.REFUSED, what + " on " + label + ": " + text, text, null, server);
        }

        Folder folder(String name) throws ImapException {
            Folder f = folders.get(name);
            if (f == null) {
                throw refused("folder '" + name + "'", "NO [NONEXISTENT] Mailbox doesn't exist: " + name);
            }
            return f;
        }

        @Override
        public Namespace namespace() throws ImapException {
            before(Op.LIST, "");
            return namespace;
        }

        @Override
        public List<FolderInfo> folders() throws ImapException {
            before(Op.LIST, "");
            synchronized (MemoryMailbox.this) {
                List<FolderInfo> out = new ArrayList<>();
                folders.forEach((name, f) -> out.add(
                        new FolderInfo(name, namespace.separator(), Set.of(), f.subscribed || name.equals("INBOX"))));
                return out;
            }
        }

        @Override
        public Optional<SideStatus> status(String name) throws ImapException {
            before(Op.STATUS, name);
            synchronized (MemoryMailbox.this) {
                Folder f = folders.get(name);
                return f == null
                        ? Optional.empty()
                        : Optional.of(new SideStatus(f.uidValidity, f.uidNext, f.messages.size(), 0));
            }
        }

        @Override
        public void select(String name) throws ImapException {
            before(Op.SELECT, name);
            synchronized (MemoryMailbox.this) {
                folder(name);
                selected = name;
            }
        }

        @Override
        public FolderSnapshot snapshot(String name) throws ImapException {
            select(name);
            before(Op.FETCH, name);
            synchronized (MemoryMailbox.this) {
                Folder f = folder(name);
                List<MessageMeta> metas = new ArrayList<>();
                for (Message m : f.messages.values()) {
                    metas.add(meta(m));
                }
                return new FolderSnapshot(name, f.uidValidity, f.uidNext, 0, metas);
            }
        }

        @Override
        public void fetchBodies(List<MessageMeta> messages, BodySink sink) throws ImapException {
            if (selected == null) {
                throw new IllegalStateException("no folder selected on " + label);
            }
            for (int i = 0; i < messages.size(); i++) {
                if (i % fetchBatch == 0) {
                    if (i > 0) {
                        sink.endOfBatch();
                    }
                    sink.beforeFetch();
                    before(Op.FETCH, selected);
                }
                MessageMeta want = messages.get(i);
                Message m;
                synchronized (MemoryMailbox.this) {
                    m = folder(selected).messages.get(want.uid());
                }
                if (m != null) { // expunged meanwhile: skipped, as a server's FETCH skips it
                    sink.accept(RawMessage.inMemory(want, m.bytes()));
                }
            }
            if (!messages.isEmpty()) {
                sink.endOfBatch();
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final class WriteSession extends ReadSession implements TargetStore {
        WriteSession(String side) {
            super(side);
        }

        @Override
        public void createFolder(String name) throws ImapException {
            before(Op.CREATE, name);
            synchronized (MemoryMailbox.this) {
                if (!folders.containsKey(name)) {
                    folders.put(name, new Folder(nextUidValidity++));
                    clientWrites++;
                }
            }
            fault.after(Op.CREATE, name);
        }

        /**
         * As a server answers pipelined CREATEs (and SUBSCRIBEs): a folder refused (a fault of kind REFUSED) or
         * there already is not in the answer; a broken connection throws.
         */
        @Override
        public List<String> createFolders(List<String> names, Set<String> subscribe) throws ImapException {
            List<String> created = new ArrayList<>();
            for (String name : names) {
                boolean isNew;
                synchronized (MemoryMailbox.this) {
                    isNew = !folders.containsKey(name);
                }
                try {
                    createFolder(name);
                } catch (ImapException e) {
                    if (e.kind() != ImapException.Kind.REFUSED) {
                        throw e;
                    }
                    continue;
                }
                if (isNew) {
                    created.add(name);
                }
                if (subscribe.contains(name)) {
                    try {
                        subscribe(name);
                    } catch (ImapException e) {
                        if (e.kind() != ImapException.Kind.REFUSED) {
                            throw e;
                        }
                    }
                }
            }
            return created;
        }

        @Override
        public void subscribe(String name) throws ImapException {
            before(Op.SUBSCRIBE, name);
            synchronized (MemoryMailbox.this) {
                folder(name).subscribed = true;
                clientWrites++;
            }
            fault.after(Op.SUBSCRIBE, name);
        }

        @Override
        public List<Long> append(String name, List<RawMessage> raws) throws ImapException {
            before(Op.APPEND, name);
            List<Long> uids = new ArrayList<>();
            synchronized (MemoryMailbox.this) {
                Folder f = folders.get(name);
                if (f == null) {
                    throw refused("APPEND to '" + name + "'", "NO [TRYCREATE] Mailbox doesn't exist: " + name);
                }
                for (RawMessage raw : raws) { // all or nothing, as one MULTIAPPEND
                    long uid = f.uidNext++;
                    f.messages.put(
                            uid,
                            new Message(
                                    uid,
                                    bytesOf(raw),
                                    raw.meta().flags(),
                                    raw.meta().identity().internalDate()));
                    uids.add(uid);
                }
                clientWrites++;
            }
            fault.after(Op.APPEND, name);
            return uids;
        }

        @Override
        public void storeFlags(long uid, Set<String> add, Set<String> remove) throws ImapException {
            if (selected == null) {
                throw new IllegalStateException("no folder selected on " + label);
            }
            before(Op.STORE, selected);
            synchronized (MemoryMailbox.this) {
                Folder f = folder(selected);
                Message m = f.messages.get(uid);
                if (m != null) {
                    Set<String> flags = new TreeSet<>(m.flags());
                    flags.addAll(add);
                    flags.removeAll(remove);
                    f.messages.put(uid, new Message(uid, m.bytes(), flags, m.internalDate()));
                }
                clientWrites++;
            }
            fault.after(Op.STORE, selected);
        }
    }

    /** The metadata FETCH of one message: identity from its header section, as HEADER.FIELDS returns it. */
    static MessageMeta meta(Message m) {
        byte[] b = m.bytes();
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        byte[] header = end < 0 ? b : Arrays.copyOf(b, end + 2);
        return new MessageMeta(m.uid(), Identity.of(header, b.length, m.internalDate()), m.flags(), 0);
    }

    private static byte[] bytesOf(RawMessage raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            raw.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
