package io.mxcutover.sync.imap;

import static io.mxcutover.sync.imap.ImapErrorClassifier.classify;
import static io.mxcutover.sync.imap.ImapErrorClassifier.safe;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.OAuthException;
import io.mxcutover.sync.credential.Secret;
import io.mxcutover.sync.credential.TokenCache;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.StoreClosedException;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * What a source and a target session share: the login, the folder list, STATUS, the metadata of a
 * folder and the bodies of its messages. One instance is one logged-in session on one side of one
 * mailbox; it selects one folder at a time. Not thread-safe: one per worker. Sealed: a session is
 * either an {@link ImapSourceStore} (EXAMINE only, no write command in its type) or an
 * {@link ImapTargetStore} (SELECT, CREATE, APPEND, STORE).
 *
 * <p>Reads: every body item is {@code BODY.PEEK}, so a read never sets a flag. Metadata of a whole
 * folder comes in one {@code FETCH (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (...)])}
 * per {@code metadataChunk} messages; bodies come {@code batchMessages} per {@code UID FETCH}; a large
 * message is fetched in {@code BODY.PEEK[]<offset.length>} slices into memory (up to
 * {@link MessageMemory}'s bounds) or a temp file, or streamed into the consumer's APPEND as its slices arrive
 * ({@link StreamedBody}; only from a server whose RFC822.SIZE proved exact). What a failure means is
 * {@link ImapErrorClassifier}'s decision.
 *
 * <p>Protocol notes: this file is the protocol edge and is allowed to be long.
 */
abstract sealed class ImapSession implements SourceStore permits ImapSourceStore, ImapTargetStore {
    /** At most this many slices of one large message are requested at once (bounds the commands in flight). */
    static final int PIPELINED_SLICES = 64;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImapSession.class);

    private static final String HEADER_FIELDS =
            "BODY.PEEK[HEADER.FIELDS (" + String.join(" ", Identity.HEADER_SET).toUpperCase(Locale.ROOT) + ")]";

    /** A logged-in Angus store, before it becomes a source or a target session. */
    record Connected(IMAPStore store, String label, String server) {}

    final IMAPStore store;
    final ImapSettings settings;
    final String label;
    final String server;
    /** {@link Folder#READ_ONLY} (EXAMINE) for a source session, {@link Folder#READ_WRITE} (SELECT) for a target. */
    private final int openMode;

    IMAPFolder selected;

    ImapSession(Connected connected, ImapSettings settings, int openMode) {
        this.store = connected.store();
        this.settings = settings;
        this.label = connected.label();
        this.server = connected.server();
        this.openMode = openMode;
    }

    /**
     * Connects and logs in; {@code side} ("source", "target") names the session in messages. Failures name the
     * server and the login, never the secret. A login with OAuth2 tokens from a {@link TokenCache} gets a token
     * from it; when the server refuses that token (AUTHENTICATIONFAILED: revoked, expired early), the cache is
     * told, and the login is tried once more with a new token; a second refusal fails with both facts and the
     * token endpoint named.
     */
    static Connected connect(ImapEndpoint endpoint, Login given, String side, ImapSettings settings)
            throws ImapException {
        Login login = endpoint.loginFor(given);
        if (login.tokens().isEmpty()) {
            return connect(endpoint, login, login.secret(), side, settings);
        }
        TokenCache tokens = login.tokens().get();
        String server = endpoint.host() + ":" + endpoint.port();
        String who = side + " server " + server + " as " + login.user();
        Secret token = token(tokens, who, server);
        try {
            return connect(endpoint, login, token, side, settings);
        } catch (ImapException first) {
            // A server without the mechanism never saw the token: a new one would not help.
            if (first.kind() != ImapException.Kind.AUTHENTICATION
                    || String.valueOf(first.getMessage()).contains(GuardedImapStore.NOT_OFFERED)) {
                throw first;
            }
            tokens.rejected(token);
            Secret fresh = token(tokens, who, server);
            try {
                return connect(endpoint, login, fresh, side, settings);
            } catch (ImapException second) {
                if (second.kind() != ImapException.Kind.AUTHENTICATION) {
                    throw second;
                }
                throw new ImapException(
                        ImapException.Kind.AUTHENTICATION,
                        "login refused by " + who + " with " + login.kind().mechanism()
                                + ", twice: with the token it had"
                                + " and with a new one from " + tokens.endpoint() + ": " + second.serverText()
                                + " (the token was revoked, or the application lacks the IMAP permission, the admin's"
                                + " consent or access to this mailbox)",
                        second.serverText(),
                        null,
                        server);
            }
        }
    }

    private static Secret token(TokenCache tokens, String who, String server) throws ImapException {
        try {
            return tokens.token();
        } catch (OAuthException e) {
            return failToken(e, who, server);
        }
    }

    private static Secret failToken(OAuthException e, String who, String server) throws ImapException {
        throw new ImapException(
                e.refused() ? ImapException.Kind.AUTHENTICATION : ImapException.Kind.CONNECTION,
                "no OAuth2 token to log in to " + who + ": " + e.getMessage(),
                "",
                null,
                server);
    }

    private static Connected connect(
            ImapEndpoint endpoint, Login login, Secret loginSecret, String side, ImapSettings settings)
            throws ImapException {
        boolean ssl = endpoint.security() == ImapEndpoint.Security.TLS;
        String server = endpoint.host() + ":" + endpoint.port();
        boolean master = endpoint.master().isPresent() && login.kind() == Login.Kind.PASSWORD;
        String label = side + " server " + endpoint.host() + ":" + endpoint.port() + " as " + login.user()
                + (master ? " (via master user " + endpoint.master().get().user() + ")" : "");
        Properties props = new Properties();
        for (String p : List.of("mail.imap.", "mail.imaps.")) {
            props.setProperty(
                    p + "connectiontimeout",
                    Long.toString(settings.connectTimeout().toMillis()));
            props.setProperty(p + "timeout", Long.toString(settings.ioTimeout().toMillis()));
            props.setProperty(
                    p + "writetimeout", Long.toString(settings.ioTimeout().toMillis()));
            props.setProperty(p + "peek", "true");
            props.setProperty(p + "fetchsize", Integer.toString(settings.chunkBytes()));
            props.setProperty(p + "appendbuffersize", Integer.toString(settings.chunkBytes()));
            props.setProperty(p + "connectionpoolsize", "2");
            props.setProperty(p + "statuscachetimeout", "0");
            props.put(p + "socketFactory", NoDelaySockets.INSTANCE); // pipelined commands not held by Nagle
            props.setProperty(
                    p + "starttls.enable", Boolean.toString(endpoint.security() != ImapEndpoint.Security.TLS));
            props.setProperty(
                    p + "starttls.required", Boolean.toString(endpoint.security() == ImapEndpoint.Security.STARTTLS));
            if (endpoint.trustAnyCertificate()) {
                props.setProperty(p + "ssl.trust", endpoint.host());
                props.setProperty(p + "ssl.checkserveridentity", "false");
            } else {
                props.setProperty(p + "ssl.checkserveridentity", "true");
            }
            if (master) {
                props.setProperty(p + "auth.mechanisms", "PLAIN");
                props.setProperty(p + "sasl.authorizationid", login.user());
            } else if (login.kind().bearer()) {
                // SASL through BearerSaslClient: the server's error challenge gets the answer its mechanism wants.
                props.setProperty(p + "sasl.enable", "true");
                props.setProperty(p + "sasl.mechanisms", login.kind().mechanism());
                props.setProperty(p + "auth.mechanisms", login.kind().mechanism());
            }
        }
        if (login.kind().bearer()) {
            BearerSaslProvider.install();
        }
        Session session = session(props);
        URLName url = new URLName(ssl ? "imaps" : "imap", endpoint.host(), endpoint.port(), null, null, null);
        String mechanism =
                master ? "PLAIN" : login.kind().bearer() ? login.kind().mechanism() : null;
        GuardedImapStore store = new GuardedImapStore(session, url, ssl, mechanism);
        String user = master ? endpoint.master().get().user() : login.user();
        String secret = master ? endpoint.master().get().password().reveal() : loginSecret.reveal();
        try {
            store.connect(endpoint.host(), endpoint.port(), user, secret);
        } catch (AuthenticationFailedException e) {
            throw ImapErrorClassifier.loginRefused(label, e, server);
        } catch (MessagingException e) {
            if (String.valueOf(e.getMessage()).contains(GuardedImapStore.NOT_OFFERED)) {
                throw new ImapException(
                        ImapException.Kind.AUTHENTICATION,
                        "cannot log in to " + label + ": " + ImapErrorClassifier.safe(e.getMessage()),
                        "",
                        null,
                        server);
            }
            String hint = String.valueOf(e.getMessage()).contains("STARTTLS")
                            || e.getCause() instanceof javax.net.ssl.SSLException
                    ? " (the server's TLS certificate is not trusted by this JVM: import it, or trust this host's"
                            + " certificate: ?trust=any on the server URL of ./mxcutover sync, sync.trustAnyCertificate: true"
                            + " in the appliance's service YAML)"
                    : "";
            throw classify("cannot log in to " + label + hint, e, server);
        }
        return new Connected(store, label, server);
    }

    /**
     * Jakarta Mail sessions by their properties, shared by every connection with the same ones (all the mailboxes of
     * a server): a new {@link Session} reads and parses the provider and address-map files of the class path again
     * (each mailbox of a one-shot re-run paid that, on cold code). A session holds only its properties and the
     * providers; stores and their logins are per connection. Bounded: a few servers and settings per process.
     */
    private static final Map<String, Session> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    static Session session(Properties props) {
        String key = new java.util.TreeMap<>(props).toString();
        if (SESSIONS.size() > 64) {
            SESSIONS.clear(); // settings changed many times in a long run: start over rather than grow
        }
        return SESSIONS.computeIfAbsent(key, k -> Session.getInstance(props));
    }

    @Override
    public String label() {
        return label;
    }

    /** Whether the server announced {@code capability} (false when the session cannot tell). */
    public boolean hasCapability(String capability) {
        try {
            return store.hasCapability(capability);
        } catch (MessagingException e) {
            return false;
        }
    }

    // ---- folders -----------------------------------------------------------------------

    /**
     * NAMESPACE, LSUB and LIST of this session, asked in one round trip by the first of {@link #namespace} and
     * {@link #folders} ({@link RawImapProtocol#listAll}); {@link #folders} uses its folders once (a later call
     * lists again). Null when the protocol is not ours.
     */
    private RawImapProtocol.Listing listing;

    private boolean listingAsked;
    private boolean listingUsed;

    private RawImapProtocol.Listing listing() throws MessagingException {
        if (!listingAsked) {
            listingAsked = true;
            boolean askNamespace = store.hasCapability("NAMESPACE");
            listing = (RawImapProtocol.Listing) ((IMAPFolder) store.getDefaultFolder())
                    .doCommand(p -> p instanceof RawImapProtocol rp ? rp.listAll(askNamespace) : null);
        }
        return listing;
    }

    @Override
    public Namespace namespace() throws ImapException {
        try {
            RawImapProtocol.Listing l = listing();
            if (l != null
                    && l.namespaces() != null
                    && l.namespaces().personal != null
                    && l.namespaces().personal.length > 0) {
                // As Angus's getPersonalNamespaces: the prefix without its trailing delimiter, as a namespace folder.
                org.eclipse.angus.mail.imap.protocol.Namespaces.Namespace first = l.namespaces().personal[0];
                String name = first.prefix;
                if (!name.isEmpty() && name.charAt(name.length() - 1) == first.delimiter) {
                    name = name.substring(0, name.length() - 1);
                }
                Folder f = new QuietImapFolder(name, first.delimiter, store, Boolean.TRUE);
                return new Namespace(f.getFullName(), f.getSeparator());
            }
            Folder[] personal = store.getPersonalNamespaces();
            if (personal.length > 0) {
                return new Namespace(personal[0].getFullName(), personal[0].getSeparator());
            }
            return new Namespace("", store.getDefaultFolder().getSeparator());
        } catch (MessagingException e) {
            throw classify("cannot read the namespace on " + label, e, server);
        }
    }

    @Override
    public List<FolderInfo> folders() throws ImapException {
        try {
            RawImapProtocol.Listing l = listingUsed ? null : listing();
            Folder[] subscribedFolders;
            Folder[] allFolders;
            if (l != null) {
                listingUsed = true;
                subscribedFolders = l.subscribed().stream()
                        .map(li -> new QuietImapFolder(li, store))
                        .toArray(Folder[]::new);
                allFolders = l.all().stream()
                        .map(li -> new QuietImapFolder(li, store))
                        .toArray(Folder[]::new);
            } else {
                subscribedFolders = store.getDefaultFolder().listSubscribed("*");
                allFolders = store.getDefaultFolder().list("*");
            }
            Set<String> subscribed = new HashSet<>();
            for (Folder f : subscribedFolders) {
                subscribed.add(f.getFullName());
            }
            List<FolderInfo> out = new ArrayList<>();
            for (Folder f : allFolders) {
                IMAPFolder imap = (IMAPFolder) f;
                Set<String> attributes = new HashSet<>(Arrays.asList(imap.getAttributes()));
                if ((imap.getType() & Folder.HOLDS_MESSAGES) == 0) {
                    attributes.add("\\Noselect");
                }
                out.add(new FolderInfo(
                        imap.getFullName(),
                        imap.getSeparator(),
                        attributes,
                        subscribed.contains(imap.getFullName())
                                || imap.getFullName().equalsIgnoreCase("INBOX")));
            }
            return out;
        } catch (MessagingException e) {
            throw classify("cannot list folders on " + label, e, server);
        }
    }

    /** STATUS of a folder; empty if the folder does not exist. One round trip. */
    @Override
    public Optional<SideStatus> status(String folder) throws ImapException {
        boolean condstore = hasCapability("CONDSTORE");
        String[] items = condstore
                ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"}
                : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY"};
        try {
            IMAPFolder f = (IMAPFolder) store.getFolder(folder);
            Status s = (Status) f.doCommand(p -> p.status(folder, items));
            if (s == null) {
                // A tagged OK without the untagged STATUS line (a broken or hostile server, issue 14).
                throw new ImapException(
                        ImapException.Kind.PROTOCOL,
                        "STATUS " + folder + " on " + label + " answered OK without a STATUS response",
                        "",
                        null,
                        server);
            }
            return Optional.of(new SideStatus(s.uidvalidity, s.uidnext, s.total, Math.max(0, s.highestmodseq)));
        } catch (MessagingException e) {
            if (e.getCause() instanceof ConnectionException || e instanceof StoreClosedException) {
                throw classify("STATUS " + folder + " failed on " + label, e, server);
            }
            return Optional.empty();
        }
    }

    /**
     * STATUS of all the folders in one round trip ({@link RawImapProtocol#statusAll}); a folder the server
     * refused is empty, as in {@link #status}. An OK without a STATUS response is a protocol error, as there.
     */
    @Override
    public Map<String, Optional<SideStatus>> statuses(List<String> folders) throws ImapException {
        if (folders.size() < 2) {
            return SourceStore.super.statuses(folders);
        }
        boolean condstore = hasCapability("CONDSTORE");
        String[] items = condstore
                ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"}
                : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY"};
        try {
            @SuppressWarnings("unchecked") // our own command's result
            Map<String, RawImapProtocol.StatusAnswer> got = (Map<String, RawImapProtocol.StatusAnswer>)
                    folderObject(folders.get(0)).doCommand(p -> {
                        if (!(p instanceof RawImapProtocol rp)) {
                            return null;
                        }
                        return rp.statusAll(folders, items);
                    });
            if (got == null) {
                return SourceStore.super.statuses(folders);
            }
            Map<String, Optional<SideStatus>> out = new java.util.LinkedHashMap<>();
            for (String folder : folders) {
                RawImapProtocol.StatusAnswer a = got.get(folder);
                if (a != null && a.ok() && a.status() == null) {
                    // A tagged OK without the untagged STATUS line (a broken or hostile server, issue 14).
                    throw new ImapException(
                            ImapException.Kind.PROTOCOL,
                            "STATUS " + folder + " on " + label + " answered OK without a STATUS response",
                            "",
                            null,
                            server);
                }
                Status s = a == null ? null : a.status();
                out.put(
                        folder,
                        s == null
                                ? Optional.empty()
                                : Optional.of(new SideStatus(
                                        s.uidvalidity, s.uidnext, s.total, Math.max(0, s.highestmodseq))));
            }
            return out;
        } catch (MessagingException e) {
            throw classify("STATUS of " + folders.size() + " folders failed on " + label, e, server);
        }
    }

    // ---- snapshot ----------------------------------------------------------------------

    /**
     * Selects the folder (EXAMINE on the source) and fetches every message's metadata in
     * {@code metadataChunk}-sized FETCH commands (one for most folders).
     */
    @Override
    public FolderSnapshot snapshot(String folder) throws ImapException {
        IMAPFolder f = open(folder);
        try {
            int exists = f.getMessageCount();
            if (exists < 0) {
                // No EXISTS in the SELECT/EXAMINE response (a broken or hostile server, issue 14).
                throw new ImapException(
                        ImapException.Kind.PROTOCOL,
                        "opening folder '" + folder + "' on " + label + " gave no message count (EXISTS)",
                        "",
                        null,
                        server);
            }
            long uidValidity = f.getUIDValidity();
            long uidNext = f.getUIDNext();
            boolean condstore = hasCapability("CONDSTORE");
            long highest = condstore ? Math.max(0, f.getHighestModSeq()) : 0;
            List<MessageMeta> messages = new ArrayList<>(exists);
            String items = "(UID FLAGS INTERNALDATE RFC822.SIZE " + (condstore ? "MODSEQ " : "") + HEADER_FIELDS + ")";
            for (int start = 1; start <= exists; start += settings.metadataChunk()) {
                int end = Math.min(exists, start + settings.metadataChunk() - 1);
                String fetch = "FETCH " + start + ":" + end + " " + items;
                boolean raw = Boolean.TRUE.equals(f.doCommand(p -> {
                    if (!(p instanceof RawImapProtocol rp)) {
                        return false;
                    }
                    rp.fetchRaw(fetch, (b, from, to) -> {
                        FetchedMeta fm = FetchedMeta.parse(b, from, to);
                        if (fm != null) {
                            messages.add(meta(fm, b));
                            return true;
                        }
                        // Not our fast path: Angus parses it; a FETCH with our items is still ours.
                        if (rp.response(b, from, to) instanceof FetchResponse fr) {
                            MessageMeta m = meta(fr);
                            if (m != null) {
                                messages.add(m);
                                return true;
                            }
                        }
                        return false;
                    });
                    return true;
                }));
                if (!raw) {
                    for (Response r : command(f, fetch, null)) {
                        if (r instanceof FetchResponse fr) {
                            MessageMeta m = meta(fr);
                            if (m != null) {
                                messages.add(m);
                            }
                        }
                    }
                }
            }
            // Fewer rows than messages (an EXPUNGE meanwhile lowers the count): a FETCH response was lost or
            // unreadable. A snapshot missing a target message could let a pass copy it again: none is used.
            int expected = Math.min(exists, f.getMessageCount());
            if (messages.size() < expected) {
                throw new ImapException(
                        ImapException.Kind.PROTOCOL,
                        "reading folder '" + folder + "' on " + label + " gave " + messages.size() + " of " + expected
                                + " messages (a FETCH response was missing or unreadable)",
                        "",
                        null,
                        server);
            }
            return new FolderSnapshot(folder, uidValidity, uidNext, highest, messages);
        } catch (MessagingException e) {
            throw classify("cannot read folder '" + folder + "' on " + label, e, server);
        }
    }

    static MessageMeta meta(FetchedMeta fm, byte[] b) {
        byte[] header = fm.hasHeader() ? Arrays.copyOfRange(b, fm.headerStart(), fm.headerEnd()) : new byte[0];
        return new MessageMeta(
                fm.uid(), Identity.of(header, fm.size(), fm.internalDate()), new TreeSet<>(fm.flags()), fm.modseq());
    }

    static MessageMeta meta(FetchResponse fr) {
        UID uid = fr.getItem(UID.class);
        RFC822SIZE size = fr.getItem(RFC822SIZE.class);
        INTERNALDATE date = fr.getItem(INTERNALDATE.class);
        if (uid == null || size == null || date == null) {
            return null; // an unsolicited FETCH (flag change) carries only some items
        }
        FLAGS flags = fr.getItem(FLAGS.class);
        MODSEQ modseq = fr.getItem(MODSEQ.class);
        BODY header = fr.getItem(BODY.class);
        byte[] headerBytes = header == null || header.getByteArray() == null
                ? new byte[0]
                : header.getByteArray().getNewBytes();
        @SuppressWarnings("JavaUtilDate") // Angus Mail's INTERNALDATE is a java.util.Date
        long internalDate = date.getDate().getTime() / 1000;
        Identity identity = Identity.of(headerBytes, size.size, internalDate);
        return new MessageMeta(
                uid.uid, identity, flags == null ? Set.of() : flagNames(flags), modseq == null ? 0 : modseq.modseq);
    }

    static Set<String> flagNames(Flags flags) {
        Set<String> out = new TreeSet<>();
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.SEEN) out.add("\\Seen");
            else if (f == Flags.Flag.ANSWERED) out.add("\\Answered");
            else if (f == Flags.Flag.FLAGGED) out.add("\\Flagged");
            else if (f == Flags.Flag.DELETED) out.add("\\Deleted");
            else if (f == Flags.Flag.DRAFT) out.add("\\Draft");
        }
        out.addAll(Arrays.asList(flags.getUserFlags()));
        return out;
    }

    // ---- bodies ------------------------------------------------------------------------

    /**
     * Fetches the raw bytes of these messages from the selected source folder, in UID-FETCH
     * batches of at most {@code batchMessages}/{@code batchBytes}; large messages one by one,
     * in slices, into temp files. A UID the server no longer has is skipped (expunged meanwhile).
     * The batches between two large messages go out {@link #FETCH_WINDOW} at a time: the next
     * batch's FETCH is at the server while the current one's bodies are read and handed on.
     */
    @Override
    public void fetchBodies(List<MessageMeta> messages, BodySink sink) throws ImapException {
        requireSelected();
        BatchRamp ramp = new BatchRamp(settings.batchMessages(), settings.batchBytes(), sink.firstBatchBytes());
        for (FetchStep step : fetchPlan(messages, settings.largeMessageBytes())) {
            if (step instanceof FetchStep.Run run) {
                fetchBatches(run.messages(), ramp, sink);
            } else if (step instanceof FetchStep.Large large) {
                sink.beforeFetch();
                if (streamable(sink.takesStreams(), exactSizes, INEXACT_SIZES.contains(server))) {
                    fetchLargeStreamed(large.message(), sink);
                } else {
                    sink.accept(fetchLarge(large.message()));
                }
                sink.endOfBatch();
            }
        }
    }

    /**
     * Servers (host:port) one of whose messages had other bytes than its RFC822.SIZE said (some servers count
     * line ends or attachments their own way): a streamed APPEND announces that size before the first byte, so
     * their large messages are stored first. For the life of the process.
     */
    private static final Set<String> INEXACT_SIZES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Messages of this session whose bytes matched their RFC822.SIZE. */
    private long exactSizes;

    /**
     * Whether a large message is streamed from its FETCH into its APPEND: the consumer takes streams, this session
     * has seen at least one message whose bytes matched its RFC822.SIZE, and the server never sent one that did
     * not. Otherwise it is stored whole first (in memory or a temp file), which is right whatever the size. Pure.
     */
    static boolean streamable(boolean takesStreams, long exactSizesSeen, boolean serverInexact) {
        return takesStreams && exactSizesSeen > 0 && !serverInexact;
    }

    /** Notes whether message {@code m}'s {@code bytes} matched its RFC822.SIZE. */
    private void observeSize(MessageMeta m, long bytes) {
        if (bytes == m.identity().size()) {
            exactSizes++;
        } else if (INEXACT_SIZES.add(server)) {
            LOG.info(
                    "{}: message UID {}: RFC822.SIZE said {} bytes, its body had {} when that was found: large"
                            + " messages from this server are stored before they are appended, not streamed",
                    label,
                    m.uid(),
                    m.identity().size(),
                    bytes);
        }
    }

    /**
     * A large message streamed from its FETCH into the consumer's APPEND ({@link StreamedBody}): handed on with its
     * first slice (a message that vanished hands nothing on), then its slices written as they come. At most two
     * slices wait between the links.
     */
    private void fetchLargeStreamed(MessageMeta m, BodySink sink) throws ImapException {
        long size = m.identity().size();
        StreamedBody body = new StreamedBody(
                "message UID " + m.uid() + " of folder '" + selected.getFullName() + "' on " + label,
                size,
                2 * settings.chunkBytes(),
                settings.ioTimeout().toMillis());
        MessageDigest digest = ContentHash.digest();
        boolean[] handed = {false};
        ImapException[] handFailed = {null};
        try {
            long total = fetchSlices(m, (b, off, len) -> {
                if (!handed[0]) {
                    handed[0] = true;
                    try {
                        sink.accept(RawMessage.streamed(m, body));
                        sink.endOfBatch();
                    } catch (ImapException e) {
                        handFailed[0] = e;
                        body.abandon();
                        throw new IOException(e.getMessage(), e);
                    }
                }
                digest.update(b, off, len);
                body.write(b, off, len);
            });
            observeSize(m, total);
            body.finish(total, ContentHash.hex(digest));
            if (total != size) {
                throw new ImapException(
                        ImapException.Kind.PROTOCOL,
                        "message UID " + m.uid() + " of folder '" + selected.getFullName() + "' on " + label + " has "
                                + total + " bytes where its RFC822.SIZE said " + size
                                + "; it is stored before it is appended on the next try",
                        "",
                        null,
                        server);
            }
        } catch (IOException e) {
            body.fail(e);
            if (handFailed[0] != null) {
                throw handFailed[0];
            }
            if (body.mismatched()) {
                observeSize(m, body.mismatchedAt()); // longer than announced: this server's sizes are not trusted
            }
            throw new ImapException(
                    ImapException.Kind.PROTOCOL,
                    "cannot stream message UID " + m.uid() + " from folder '" + selected.getFullName() + "' on " + label
                            + ": " + e.getMessage(),
                    "",
                    e,
                    server);
        } catch (ImapException | RuntimeException e) {
            body.fail(e);
            throw e;
        }
    }

    /** One step of fetching a folder's bodies, in the folder's order. */
    sealed interface FetchStep {
        /** A run of small messages, fetched in batches ({@link BatchRamp}), {@link #FETCH_WINDOW} at a time. */
        record Run(List<MessageMeta> messages) implements FetchStep {}

        /** A message above {@code largeMessageBytes}, fetched alone in slices. */
        record Large(MessageMeta message) implements FetchStep {}
    }

    /**
     * How a folder's bodies are fetched, in order: the messages up to {@code largeBytes} between two larger ones
     * in one run; each larger message a step of its own. Pure.
     */
    static List<FetchStep> fetchPlan(List<MessageMeta> messages, long largeBytes) {
        List<FetchStep> plan = new ArrayList<>();
        List<MessageMeta> run = new ArrayList<>();
        for (MessageMeta m : messages) {
            if (m.identity().size() > largeBytes) {
                if (!run.isEmpty()) {
                    plan.add(new FetchStep.Run(run));
                    run = new ArrayList<>();
                }
                plan.add(new FetchStep.Large(m));
            } else {
                run.add(m);
            }
        }
        if (!run.isEmpty()) {
            plan.add(new FetchStep.Run(run));
        }
        return plan;
    }

    /**
     * How many batch FETCHes may be unanswered at once. Two: while one batch's bodies are read, the next is at the
     * server, so neither link waits a round trip between batches (one RTT per batch across a WAN); the bodies held
     * here stay at most two batches (a server that interleaves two FETCHes' answers).
     */
    static final int FETCH_WINDOW = 2;

    /**
     * Fetches a run of small messages in batches cut by {@code ramp} as each FETCH is about to go out,
     * {@link #FETCH_WINDOW} FETCH commands at a time, each batch handed on whole. The time a byte-bound batch's
     * bodies took to come (from when the one before it was handed on, or its FETCH went out if later) sizes the
     * batches after it.
     */
    private void fetchBatches(List<MessageMeta> run, BatchRamp ramp, BodySink sink) throws ImapException {
        if (run.isEmpty()) {
            return;
        }
        List<BatchRamp.Batch> batches = new ArrayList<>();
        List<Long> writtenAt = new ArrayList<>();
        Map<Long, Integer> batchOf = new HashMap<>();
        List<Map<Long, byte[]>> bodies = new ArrayList<>();
        int[] cutTo = {0}; // the run's messages cut into batches so far
        long[] received = {0}; // body bytes read, all batches
        long[] mark = {Long.MIN_VALUE, 0}; // when the last batch was handed on (none yet), and the bytes read by then
        ImapException[] sinkFailed = {null};
        int[] handed = {0};
        boolean raw;
        try {
            raw = Boolean.TRUE.equals(selected.doCommand(p -> {
                if (!(p instanceof RawImapProtocol rp)) {
                    return false;
                }
                rp.fetchBodiesWindowed(
                        i -> {
                            if (cutTo[0] >= run.size()) {
                                return null;
                            }
                            try {
                                sink.beforeFetch();
                            } catch (ImapException e) {
                                sinkFailed[0] = e;
                                throw new ProtocolException(e.getMessage());
                            }
                            BatchRamp.Batch batch = ramp.next(run, cutTo[0]);
                            cutTo[0] += batch.messages().size();
                            batches.add(batch);
                            writtenAt.add(System.nanoTime());
                            bodies.add(new HashMap<>());
                            for (MessageMeta m : batch.messages()) {
                                batchOf.put(m.uid(), i);
                            }
                            return "UID FETCH "
                                    + uidSet(batch.messages().stream()
                                            .map(MessageMeta::uid)
                                            .toList()) + " (UID BODY.PEEK[])";
                        },
                        FETCH_WINDOW,
                        (uid, b) -> {
                            received[0] += b.length;
                            Integer i = batchOf.get(uid);
                            if (i != null && i >= handed[0]) { // a batch handed on takes no more
                                bodies.get(i).put(uid, b);
                            }
                        },
                        i -> {
                            long now = System.nanoTime();
                            if (batches.get(i).byteBound()) {
                                ramp.observe(received[0] - mark[1], now - Math.max(writtenAt.get(i), mark[0]));
                            }
                            handed[0] = i + 1;
                            Map<Long, byte[]> got = bodies.set(i, Map.of());
                            try {
                                for (MessageMeta m : batches.get(i).messages()) {
                                    byte[] b = got.get(m.uid());
                                    if (b != null) {
                                        observeSize(m, b.length);
                                        sink.accept(RawMessage.inMemory(m, b));
                                    }
                                }
                                sink.endOfBatch();
                            } catch (ImapException e) {
                                sinkFailed[0] = e;
                                throw new ProtocolException(e.getMessage());
                            }
                            mark[0] = System.nanoTime();
                            mark[1] = received[0];
                        });
                return true;
            }));
        } catch (MessagingException e) {
            if (sinkFailed[0] != null) {
                throw sinkFailed[0];
            }
            List<MessageMeta> failed = batches.isEmpty()
                    ? run.subList(0, 1)
                    : batches.get(Math.min(handed[0], batches.size() - 1)).messages();
            throw classify(
                    "cannot fetch messages "
                            + uidSet(failed.stream().map(MessageMeta::uid).toList()) + " from folder '"
                            + selected.getFullName() + "' on " + label,
                    e,
                    server);
        }
        if (!raw) {
            for (int from = 0; from < run.size(); ) {
                List<MessageMeta> batch = ramp.next(run, from).messages();
                from += batch.size();
                flushBatch(new ArrayList<>(batch), sink);
            }
        }
    }

    private void flushBatch(List<MessageMeta> batch, BodySink sink) throws ImapException {
        if (batch.isEmpty()) {
            return;
        }
        Map<Long, MessageMeta> byUid = new HashMap<>();
        batch.forEach(m -> byUid.put(m.uid(), m));
        String set = uidSet(batch.stream().map(MessageMeta::uid).toList());
        Map<Long, byte[]> bodies = new HashMap<>();
        sink.beforeFetch();
        try {
            String fetch = "UID FETCH " + set + " (UID BODY.PEEK[])";
            boolean raw = Boolean.TRUE.equals(selected.doCommand(p -> {
                if (!(p instanceof RawImapProtocol rp)) {
                    return false;
                }
                rp.fetchBodies(fetch, (uid, bytes) -> {
                    if (byUid.containsKey(uid)) {
                        bodies.put(uid, bytes);
                    }
                });
                return true;
            }));
            Response[] rs = raw ? new Response[0] : command(selected, fetch, null);
            for (Response r : rs) {
                if (r instanceof FetchResponse fr) {
                    UID uid = fr.getItem(UID.class);
                    BODY body = fr.getItem(BODY.class);
                    if (uid != null && body != null && body.getByteArray() != null && byUid.containsKey(uid.uid)) {
                        bodies.put(uid.uid, body.getByteArray().getNewBytes());
                    }
                }
            }
        } catch (MessagingException e) {
            throw classify(
                    "cannot fetch messages " + set + " from folder '" + selected.getFullName() + "' on " + label,
                    e,
                    server);
        }
        List<MessageMeta> sent = List.copyOf(batch);
        batch.clear();
        for (MessageMeta m : sent) {
            byte[] b = bodies.remove(m.uid());
            if (b != null) {
                observeSize(m, b.length);
                sink.accept(RawMessage.inMemory(m, b));
            }
        }
        sink.endOfBatch();
    }

    /**
     * A message above the batch threshold, fetched in {@code chunkBytes} slices (the connection's read
     * buffer stays at one slice): into one array when {@link MessageMemory} has room for it, else into a
     * temp file (a write and a read-back of every byte; never fsynced, it is deleted after the APPEND).
     */
    private RawMessage fetchLarge(MessageMeta m) throws ImapException {
        long size = m.identity().size();
        MessageMemory memory = MessageMemory.shared();
        if (!memory.tryReserve(size)) {
            return fetchLargeToFile(m);
        }
        try {
            byte[][] held = {new byte[(int) size]};
            int[] filled = {0};
            MessageDigest digest = ContentHash.digest();
            fetchSlices(m, (b, off, len) -> {
                if (filled[0] + len > held[0].length) { // RFC822.SIZE was short: grow, outside the budget
                    held[0] = Arrays.copyOf(held[0], Math.max(filled[0] + len, held[0].length * 2));
                }
                System.arraycopy(b, off, held[0], filled[0], len);
                digest.update(b, off, len);
                filled[0] += len;
            });
            observeSize(m, filled[0]);
            byte[] bytes = filled[0] == held[0].length ? held[0] : Arrays.copyOf(held[0], filled[0]);
            return RawMessage.inMemory(m, bytes, ContentHash.hex(digest), memory, size);
        } catch (IOException e) {
            memory.release(size);
            throw new ImapException(
                    ImapException.Kind.PROTOCOL,
                    "cannot hold message UID " + m.uid() + " in memory: " + e.getMessage(),
                    "",
                    e,
                    server);
        } catch (ImapException | RuntimeException e) {
            memory.release(size);
            throw e;
        }
    }

    private RawMessage fetchLargeToFile(MessageMeta m) throws ImapException {
        Path file = null;
        try {
            Files.createDirectories(settings.tempDir());
            file = Files.createTempFile(settings.tempDir(), "mxc-msg-", ".eml");
            MessageDigest digest = ContentHash.digest();
            long size;
            try (OutputStream out = Files.newOutputStream(file)) {
                size = fetchSlices(m, (b, off, len) -> {
                    out.write(b, off, len);
                    digest.update(b, off, len);
                });
            }
            // The APPEND literal declares size: any other length would put the stream out of step with the server.
            long spooled = Files.size(file);
            if (spooled != size) {
                throw new IOException("spooled " + spooled + " bytes, counted " + size);
            }
            observeSize(m, size);
            return RawMessage.inFile(m, file, size, ContentHash.hex(digest));
        } catch (IOException e) {
            deleteQuietly(file);
            throw new ImapException(
                    ImapException.Kind.PROTOCOL,
                    "cannot spool message UID " + m.uid() + " to " + settings.tempDir() + ": " + e.getMessage(),
                    "",
                    e,
                    server);
        } catch (ImapException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** Where the slices of a large message go, in order; the array is only valid during the call. */
    private interface SliceSink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /** Fetches message {@code m} in {@code BODY.PEEK[]<offset.chunk>} slices into {@code sink}; returns its size. */
    private long fetchSlices(MessageMeta m, SliceSink sink) throws ImapException, IOException {
        long offset = 0;
        try {
            // All the slices RFC822.SIZE announces go out at once (one round trip, not one per slice); a message
            // longer than announced (the last slice came back full) goes on one slice at a time below.
            long expected = Math.max(1, (m.identity().size() + settings.chunkBytes() - 1) / settings.chunkBytes());
            List<String> fetches = new ArrayList<>();
            for (long i = 0; i < Math.min(expected, PIPELINED_SLICES); i++) {
                fetches.add("UID FETCH " + m.uid() + " (UID BODY.PEEK[]<" + i * settings.chunkBytes() + "."
                        + settings.chunkBytes() + ">)");
            }
            // A slice goes to the sink only in its place: the one whose origin (BODY[]<origin>) is where the bytes so
            // far end. The answers' order in the stream proves nothing (Dovecot runs pipelined FETCHes side by side;
            // taking a body for the first unanswered command once assembled slices 0, 4 and 6 of a 7-slice message).
            // A slice out of place (no origin, after a gap, a repeat) is dropped and fetched again below, one at a
            // time.
            long chunk = settings.chunkBytes();
            long[] written = {0};
            boolean[] ended = {false}; // a slice in its place came back shorter than asked: the message ends there
            IOException[] sinkFailed = {null};
            boolean pipelined = Boolean.TRUE.equals(selected.doCommand(p -> {
                if (!(p instanceof RawImapProtocol rp)) {
                    return false;
                }
                rp.fetchSlicesPipelined(fetches, (uid, origin, b, off, len) -> {
                    if (uid != m.uid() || origin != written[0] || ended[0] || sinkFailed[0] != null) {
                        return;
                    }
                    try {
                        sink.write(b, off, len);
                    } catch (IOException e) {
                        sinkFailed[0] = e; // every answer is read; the failure is thrown after
                        return;
                    }
                    written[0] += len;
                    if (len < chunk) {
                        ended[0] = true;
                    }
                });
                return true;
            }));
            if (sinkFailed[0] != null) {
                throw sinkFailed[0];
            }
            offset = written[0];
            if (pipelined && ended[0]) {
                return offset;
            }
            for (int guard = 0; guard < 1_000_000; guard++) {
                String fetch =
                        "UID FETCH " + m.uid() + " (UID BODY.PEEK[]<" + offset + "." + settings.chunkBytes() + ">)";
                int[] got = {-1};
                IOException[] failed = {null};
                boolean raw = Boolean.TRUE.equals(selected.doCommand(p -> {
                    if (!(p instanceof RawImapProtocol rp)) {
                        return false;
                    }
                    rp.fetchSlices(fetch, (uid, b, off, len) -> {
                        if (uid == m.uid() && got[0] < 0 && failed[0] == null) {
                            got[0] = len;
                            try {
                                sink.write(b, off, len);
                            } catch (IOException e) {
                                failed[0] = e; // the FETCH is read to its end; the failure is thrown after
                            }
                        }
                    });
                    return true;
                }));
                if (failed[0] != null) {
                    throw failed[0];
                }
                int count = got[0];
                if (!raw) {
                    for (Response r : command(selected, fetch, null)) {
                        if (r instanceof FetchResponse fr && fr.getItem(BODY.class) != null && count < 0) {
                            UID uid = fr.getItem(UID.class);
                            if (uid == null || uid.uid == m.uid()) {
                                ByteArray slice = fr.getItem(BODY.class).getByteArray();
                                sink.write(slice.getBytes(), slice.getStart(), slice.getCount());
                                count = slice.getCount();
                            }
                        }
                    }
                }
                if (count < 0) {
                    if (offset == 0) {
                        throw new ImapException(
                                ImapException.Kind.REFUSED,
                                "message UID " + m.uid() + " vanished from folder '" + selected.getFullName() + "' on "
                                        + label,
                                "",
                                null,
                                server);
                    }
                    break;
                }
                offset += count;
                if (count < settings.chunkBytes()) {
                    break;
                }
            }
            return offset;
        } catch (MessagingException e) {
            throw classify(
                    "cannot fetch message UID " + m.uid() + " from folder '" + selected.getFullName() + "' on " + label,
                    e,
                    server);
        }
    }

    // ---- plumbing ----------------------------------------------------------------------

    @Override
    public void select(String folder) throws ImapException {
        open(folder);
    }

    /** Selects {@code folder} in this session's mode (EXAMINE or SELECT), unless it is selected already. */
    /**
     * The selected folder's UIDVALIDITY, UIDNEXT and message count as the server last reported them (the SELECT's
     * answer and any EXISTS since); HIGHESTMODSEQ 0. Needs a {@link #select}.
     */
    public SideStatus selectedStatus() throws ImapException {
        requireSelected();
        try {
            return new SideStatus(selected.getUIDValidity(), selected.getUIDNext(), selected.getMessageCount(), 0);
        } catch (MessagingException e) {
            throw classify("cannot read the state of folder '" + selected.getFullName() + "' on " + label, e, server);
        }
    }

    IMAPFolder open(String folder) throws ImapException {
        if (selected != null && selected.getFullName().equals(folder) && selected.isOpen()) {
            return selected;
        }
        closeSelected();
        try {
            IMAPFolder f = folderObject(folder);
            f.open(openMode);
            selected = f;
            return f;
        } catch (FolderNotFoundException e) {
            throw new ImapException(
                    ImapException.Kind.REFUSED,
                    "folder '" + folder + "' does not exist on " + label,
                    safe(e.getMessage()),
                    e,
                    server);
        } catch (MessagingException e) {
            throw classify("cannot open folder '" + folder + "' on " + label, e, server);
        }
    }

    IMAPFolder folderObject(String folder) throws ImapException {
        try {
            return (IMAPFolder) store.getFolder(folder);
        } catch (MessagingException e) {
            throw classify("cannot address folder '" + folder + "' on " + label, e, server);
        }
    }

    void requireSelected() {
        if (selected == null || !selected.isOpen()) {
            throw new IllegalStateException("no folder selected on " + label);
        }
    }

    static Response[] command(IMAPFolder f, String command, Argument args) throws MessagingException {
        return (Response[]) f.doCommand(p -> {
            Response[] r = p.command(command, args);
            notifyUntagged(p, r);
            p.handleResult(r[r.length - 1]);
            return r;
        });
    }

    /** Passes EXISTS/EXPUNGE/FLAGS etc. on to Angus so its folder view stays right; keeps FETCH data to us. */
    static void notifyUntagged(IMAPProtocol p, Response[] r) {
        List<Response> others = new ArrayList<>();
        for (int i = 0; i < r.length - 1; i++) {
            if (!(r[i] instanceof FetchResponse)) {
                others.add(r[i]);
            }
        }
        if (!others.isEmpty()) {
            p.notifyResponseHandlers(others.toArray(new Response[0]));
        }
    }

    static String uidSet(List<Long> uids) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(uids));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            long start = sorted.get(i);
            long end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    void closeSelected() {
        if (selected != null) {
            try {
                if (selected.isOpen()) {
                    selected.close(false);
                }
            } catch (MessagingException ignored) {
                // the next select reports connection trouble
            }
            selected = null;
        }
    }

    @Override
    public void close() {
        closeSelected();
        try {
            store.close();
        } catch (MessagingException ignored) {
            // closing: nothing to do
        }
    }
}
