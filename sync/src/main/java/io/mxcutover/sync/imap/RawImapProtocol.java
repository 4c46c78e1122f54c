package io.mxcutover.sync.imap;

import java.io.IOException;
import java.util.Properties;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus's IMAP protocol with one addition: a FETCH of message bodies read raw. Angus turns every
 * response into a {@code Response} (a copy of the whole response, literal included), parses it into
 * a {@code FetchResponse} (another pass and objects per item) and {@code BODY.getByteArray()} is
 * copied again by the caller; for a copy that moves gigabytes that is most of the CPU spent outside
 * the servers. Here each response is read into one reused buffer, the literal is copied out once,
 * and only responses that are not ours (EXISTS, EXPUNGE, flag updates) are handed to Angus as usual.
 */
final class RawImapProtocol extends IMAPProtocol {
    /** Receives one message body of a raw FETCH: its UID and bytes (a fresh array the receiver may keep). */
    interface BodyReceiver {
        void body(long uid, byte[] bytes) throws ProtocolException;
    }

    /**
     * Receives one message body of a raw FETCH as a view of the connection's read buffer: valid only during
     * the call (the next response overwrites it), so a receiver that copies it elsewhere saves a copy.
     */
    interface SliceReceiver {
        void body(long uid, byte[] buffer, int offset, int length) throws ProtocolException;
    }

    /**
     * Looks at one untagged response as bytes (valid only during the call); returns true when it took it,
     * false to have it parsed by Angus and passed to the folder's handlers as usual.
     */
    interface UntaggedReceiver {
        boolean untagged(byte[] buffer, int start, int end) throws ProtocolException;
    }

    private ByteArray buffer = new ByteArray(1 << 16);

    RawImapProtocol(String name, String host, int port, Properties props, boolean isSSL, MailLogger logger)
            throws IOException, ProtocolException {
        super(name, host, port, props, isSSL, logger);
    }

    /**
     * AUTHENTICATE PLAIN with the credentials on the command line (SASL-IR, RFC 4959) when the server announces
     * it: one round trip instead of two (Angus waits for the server's empty challenge first). Dovecot announces
     * SASL-IR; against a server 50 ms away each login is 50 ms shorter, and continuous mode logs in for every
     * check. Without SASL-IR, Angus's own exchange.
     */
    @Override
    public synchronized void authplain(String authzid, String user, String password) throws ProtocolException {
        if (!hasCapability("SASL-IR")) {
            super.authplain(authzid, user, password);
            return;
        }
        String credentials = (authzid == null ? "" : authzid) + "\0" + user + "\0" + password;
        org.eclipse.angus.mail.iap.Argument args = new org.eclipse.angus.mail.iap.Argument();
        args.writeAtom("PLAIN");
        args.writeAtom(java.util.Base64.getEncoder()
                .encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        boolean tracing = isTracing();
        if (tracing) {
            suspendTracing(); // the credentials stay out of a protocol trace
        }
        Response[] r;
        try {
            r = command("AUTHENTICATE", args);
        } finally {
            if (tracing) {
                resumeTracing();
            }
        }
        handleCapabilityResponse(r);
        notifyResponseHandlers(r);
        Response result = r[r.length - 1];
        handleLoginResult(result);
        setCapabilities(result);
    }

    /**
     * LOGOUT without waiting for the server's answer: the session is over either way, and the wait is one round
     * trip per connection at the end of every pass (two connections per server). The command is sent so the
     * server logs an orderly logout; then the connection is closed. Synchronized like Angus's own commands: a
     * LOGOUT written while another thread's command (an APPEND's literal) is being sent on this connection would
     * land in the middle of it.
     */
    @Override
    public synchronized void logout() throws ProtocolException {
        outstanding.clear(); // answers still due are of no use now: the session ends
        answered.clear();
        try {
            writeCommand("LOGOUT", null);
        } catch (IOException | ProtocolException e) {
            // the connection is gone already: nothing to say goodbye to
        } finally {
            disconnect();
        }
    }

    /** A CLOSE or UNSELECT asked for and not sent yet (see {@link #close()}); null when none. */
    private String deferredDeselect;
    /** Whether the mailbox selected last was opened with EXAMINE (a CLOSE of it expunges nothing). */
    private boolean examined;

    /**
     * CLOSE of a mailbox opened with EXAMINE is held back: a SELECT or EXAMINE of the next folder, or LOGOUT,
     * leaves the mailbox without expunging (RFC 3501 6.4.2), so a pass that goes from folder to folder saves a
     * round trip each time (across a WAN, one RTT per folder). Any other command sends it first, as before. A
     * CLOSE of a mailbox opened with SELECT expunges, so it is sent at once.
     */
    @Override
    public synchronized void close() throws ProtocolException {
        if (examined) {
            deferredDeselect = "CLOSE";
            return;
        }
        super.close();
    }

    /** UNSELECT never expunges: held back like a CLOSE after EXAMINE (see {@link #close()}). */
    @Override
    public synchronized void unselect() throws ProtocolException {
        if (!hasCapability("UNSELECT")) {
            super.unselect(); // Angus's own refusal
            return;
        }
        deferredDeselect = "UNSELECT";
    }

    /**
     * Every command goes out here (Angus's and this class's): a held-back CLOSE or UNSELECT is dropped before a
     * SELECT, EXAMINE or LOGOUT (they leave the mailbox themselves) and sent, and its answer read, before any other
     * command. Its untagged answers concern the mailbox being left and are dropped; a NO to it is ignored (as a
     * folder's close ignored it), a BYE or a broken connection throws.
     */
    @Override
    public String writeCommand(String command, org.eclipse.angus.mail.iap.Argument args)
            throws IOException, ProtocolException {
        String verb = command.strip();
        int space = verb.indexOf(' ');
        verb = (space < 0 ? verb : verb.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
        // Angus's constructor asks for CAPABILITY (a greeting without it) before this class's fields exist.
        if (!writingPipelined && outstanding != null) {
            while (!outstanding.isEmpty()) {
                readNextPipelined(); // an APPEND still due is read first (kept for readPipelined), then this command
            }
        }
        String pending = deferredDeselect;
        if (pending != null) {
            deferredDeselect = null;
            if (!verb.equals("SELECT") && !verb.equals("EXAMINE") && !verb.equals("LOGOUT")) {
                Response[] r = super.command(pending, null);
                Response result = r[r.length - 1];
                if (result.isBYE()) {
                    throw new ConnectionException(this, result);
                }
            }
        }
        if (verb.equals("SELECT") || verb.equals("EXAMINE")) {
            examined = verb.equals("EXAMINE");
        }
        try {
            return super.writeCommand(command, args);
        } catch (IOException e) {
            // Cut somewhere in the command, maybe in a literal (a streamed message whose legacy FETCH failed, a
            // spool file that could not be read): the server would take the next command's bytes as the rest of
            // it. The connection is dropped, so the server discards the partial command.
            disconnect();
            throw e;
        }
    }

    /** Commands written by {@link #writePipelined} whose tagged answer was not read yet, oldest first. */
    private final java.util.Set<String> outstanding = new java.util.LinkedHashSet<>();
    /** Answers of pipelined commands read already (untagged responses, then the tagged one), by tag. */
    private final java.util.Map<String, Response[]> answered = new java.util.HashMap<>();

    private boolean writingPipelined;

    /**
     * Writes a command without reading its answer (with LITERAL+, an APPEND's messages go with it) and returns its
     * tag for {@link #readPipelined}. Any other command written meanwhile reads the answers still due first and
     * keeps them for {@code readPipelined}, so the connection never gets out of step.
     */
    synchronized String writePipelined(String command, org.eclipse.angus.mail.iap.Argument args)
            throws ProtocolException {
        writingPipelined = true;
        try {
            String tag = writeCommand(command, args);
            outstanding.add(tag);
            return tag;
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        } finally {
            writingPipelined = false;
        }
    }

    /** The answer of a command {@link #writePipelined} wrote: its untagged responses, then the tagged one. */
    synchronized Response[] readPipelined(String tag) throws ProtocolException {
        while (!answered.containsKey(tag)) {
            if (!outstanding.contains(tag)) {
                throw new ProtocolException("no answer is due for command " + tag);
            }
            readNextPipelined();
        }
        return answered.remove(tag);
    }

    /** Reads until one outstanding pipelined command is answered; a BYE or a broken connection throws. */
    private void readNextPipelined() throws ProtocolException {
        java.util.List<Response> got = new java.util.ArrayList<>();
        while (true) {
            Response r = nextResponse();
            if (r.isTagged() && outstanding.remove(r.getTag())) {
                got.add(r);
                answered.put(r.getTag(), got.toArray(new Response[0]));
                return;
            }
            if (r.isBYE()) {
                throw new ConnectionException(this, r);
            }
            got.add(r);
        }
    }

    /** Whether a CLOSE or UNSELECT is held back (for tests). */
    synchronized boolean deselectPending() {
        return deferredDeselect != null;
    }

    /**
     * Sends {@code command} (a FETCH whose items include {@code BODY.PEEK[]} and {@code UID}) and passes each
     * returned body to {@code receiver}, in the server's order. NO and BAD throw like Angus's own commands; a
     * BYE or a broken connection throws {@link ConnectionException} (a dropped connection as a synthetic BYE).
     */
    synchronized void fetchBodies(String command, BodyReceiver receiver) throws ProtocolException {
        fetchSlices(command, (uid, b, off, len) -> receiver.body(uid, java.util.Arrays.copyOfRange(b, off, off + len)));
    }

    /** Like {@link #fetchBodies(String, BodyReceiver)}, each body handed over without a copy. */
    synchronized void fetchSlices(String command, SliceReceiver receiver) throws ProtocolException {
        fetchRaw(command, (b, start, end) -> {
            FetchedBody body = FetchedBody.parse(b, start, end);
            if (body == null) {
                return false;
            }
            receiver.body(body.uid(), b, body.literalStart(), body.literalEnd() - body.literalStart());
            return true;
        });
    }

    /**
     * Sends {@code command} and offers every untagged response to {@code receiver} as raw bytes; those it does
     * not take are parsed by Angus and passed to the response handlers. NO and BAD throw like Angus's own
     * commands; a BYE or a broken connection throws {@link ConnectionException}.
     */
    synchronized void fetchRaw(String command, UntaggedReceiver receiver) throws ProtocolException {
        String tag;
        try {
            tag = writeCommand(command, null);
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
        byte[] tagBytes = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (long guard = 0; guard < Long.MAX_VALUE; guard++) {
            ByteArray r = readRaw();
            byte[] b = r.getBytes();
            int start = r.getStart();
            int end = start + r.getCount();
            if (startsWith(b, start, end, tagBytes)
                    && end > start + tagBytes.length
                    && b[start + tagBytes.length] == ' ') {
                IMAPResponse tagged = response(b, start, end);
                if (tagged.isOK()) {
                    return;
                }
                throw refusal(tagged);
            }
            if (receiver.untagged(b, start, end)) {
                continue;
            }
            IMAPResponse other = response(b, start, end);
            if (other.isBYE()) {
                throw new ConnectionException(this, other);
            }
            notifyResponseHandlers(new Response[] {other});
        }
    }

    /** A step of a windowed FETCH, given the command's index in the list. */
    interface CommandStep {
        void run(int index) throws ProtocolException;
    }

    /** The FETCH command of a given index, made when it is about to go out; null: there are no more. */
    interface CommandSource {
        String command(int index) throws ProtocolException;
    }

    /**
     * Sends FETCH commands (items include {@code BODY.PEEK[]} and {@code UID}) in order with up to {@code window}
     * of them unanswered: while the bodies of one are read, the next is already at the server, so the link never
     * waits a round trip between two batches. Each command is asked of {@code commands} only when it is about to go
     * out, so it can be sized by how fast the answers before it came; a source that throws counts as a failed step.
     * Every body goes to {@code receiver} (by UID: Dovecot runs pipelined FETCHes side by side, so bodies of a later
     * command may come before an earlier one's tagged answer); {@code answered} runs for each command in order once
     * it and every command before it were answered OK. After a NO or BAD, or a step or receiver that throws, nothing
     * more is sent or handed on, every answer still due is read (the connection stays in step), and the first
     * failure is thrown. A BYE or a broken connection throws {@link ConnectionException} at once.
     */
    synchronized void fetchBodiesWindowed(
            CommandSource commands, int window, BodyReceiver receiver, CommandStep answered) throws ProtocolException {
        java.util.List<Boolean> ok = new java.util.ArrayList<>();
        java.util.Map<String, Integer> open = new java.util.HashMap<>();
        int written = 0;
        int handed = 0;
        int refusedAt = Integer.MAX_VALUE; // the first command answered NO or BAD: nothing from it on is handed on
        ProtocolException failed = null; // the first failure, thrown at the end
        boolean stepFailed = false; // a step or the receiver threw: nothing more is handed on
        boolean exhausted = false;
        while (true) {
            while (failed == null && !exhausted && open.size() < Math.max(1, window)) {
                String command;
                try {
                    command = commands.command(written);
                } catch (ProtocolException e) {
                    failed = e;
                    stepFailed = true;
                    break;
                }
                if (command == null) {
                    exhausted = true;
                    break;
                }
                try {
                    open.put(writeCommand(command, null), written);
                } catch (IOException e) {
                    throw new ConnectionException(this, Response.byeResponse(e));
                }
                ok.add(false);
                written++;
            }
            if (open.isEmpty()) {
                break;
            }
            ByteArray r = readRaw();
            byte[] b = r.getBytes();
            int start = r.getStart();
            int end = start + r.getCount();
            String tag = tagOf(b, start, end);
            Integer index = tag == null ? null : open.remove(tag);
            if (index != null) {
                IMAPResponse tagged = response(b, start, end);
                if (tagged.isOK()) {
                    ok.set(index, true);
                } else {
                    refusedAt = Math.min(refusedAt, index);
                    if (failed == null) {
                        failed = refusal(tagged);
                    }
                }
                while (handed < Math.min(written, refusedAt) && ok.get(handed) && !stepFailed) {
                    try {
                        answered.run(handed);
                    } catch (ProtocolException e) {
                        failed = failed == null ? e : failed;
                        stepFailed = true;
                    }
                    handed++;
                }
                continue;
            }
            FetchedBody body = FetchedBody.parse(b, start, end);
            if (body != null) {
                if (!stepFailed) {
                    try {
                        receiver.body(
                                body.uid(), java.util.Arrays.copyOfRange(b, body.literalStart(), body.literalEnd()));
                    } catch (ProtocolException e) {
                        failed = failed == null ? e : failed;
                        stepFailed = true;
                    }
                }
                continue;
            }
            IMAPResponse other = response(b, start, end);
            if (other.isBYE()) {
                throw new ConnectionException(this, other);
            }
            notifyResponseHandlers(new Response[] {other});
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Receives one message body of a pipelined raw FETCH: its UID, the origin the server gave it
     * ({@code BODY[]<origin>}; -1 when it gave none) and a view of the bytes, valid during the call only.
     */
    interface OriginSliceReceiver {
        void body(long uid, long origin, byte[] buffer, int offset, int length) throws ProtocolException;
    }

    /**
     * Sends all {@code commands} (FETCHes whose items include {@code BODY.PEEK[...]} and {@code UID}) at once, then
     * reads their answers and passes each body to {@code receiver} with its UID and origin. N slices of a large
     * message cost one round trip instead of N. A body is known by its origin, never by its place in the stream:
     * Dovecot runs pipelined UID FETCHes side by side, and the bodies of later commands come before the tagged
     * answer of an earlier one (seen in its rawlog: four slices, then four OKs). Every answer is read before a NO
     * or BAD is thrown (the first one), so the connection stays in step; a BYE or a broken connection throws
     * {@link ConnectionException}.
     */
    synchronized void fetchSlicesPipelined(java.util.List<String> commands, OriginSliceReceiver receiver)
            throws ProtocolException {
        java.util.Set<String> open = new java.util.HashSet<>(); // tags not answered yet
        try {
            for (String command : commands) {
                open.add(writeCommand(command, null));
            }
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
        ProtocolException failed = null;
        while (!open.isEmpty()) {
            ByteArray r = readRaw();
            byte[] b = r.getBytes();
            int start = r.getStart();
            int end = start + r.getCount();
            String tag = tagOf(b, start, end);
            if (tag != null && open.remove(tag)) {
                IMAPResponse tagged = response(b, start, end);
                if (!tagged.isOK() && failed == null) {
                    failed = refusal(tagged);
                }
                continue;
            }
            FetchedBody body = FetchedBody.parse(b, start, end);
            if (body != null) {
                if (failed == null) {
                    receiver.body(
                            body.uid(), body.origin(), b, body.literalStart(), body.literalEnd() - body.literalStart());
                }
                continue;
            }
            IMAPResponse other = response(b, start, end);
            if (other.isBYE()) {
                throw new ConnectionException(this, other);
            }
            notifyResponseHandlers(new Response[] {other});
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * STATUS of every folder in {@code folders}, pipelined: all the commands are written at once and the answers
     * read afterwards, so N folders cost one round trip instead of N (RFC 3501 5.5 allows a client to send
     * commands without waiting). Returns, per folder, what the server answered (see {@link StatusAnswer}). A BYE
     * or a broken connection throws {@link ConnectionException}.
     */
    synchronized java.util.Map<String, StatusAnswer> statusAll(java.util.List<String> folders, String[] items)
            throws ProtocolException {
        java.util.Map<String, String> tagToFolder = new java.util.HashMap<>();
        java.util.Map<String, StatusAnswer> out = new java.util.LinkedHashMap<>();
        try {
            for (String folder : folders) {
                org.eclipse.angus.mail.iap.Argument args = new org.eclipse.angus.mail.iap.Argument();
                writeMailboxName(args, folder);
                org.eclipse.angus.mail.iap.Argument list = new org.eclipse.angus.mail.iap.Argument();
                for (String item : items) {
                    list.writeAtom(item);
                }
                args.writeArgument(list);
                tagToFolder.put(writeCommand("STATUS", args), folder);
                out.put(folder, new StatusAnswer(false, null));
            }
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
        java.util.Map<String, org.eclipse.angus.mail.imap.protocol.Status> seen = new java.util.HashMap<>();
        org.eclipse.angus.mail.imap.protocol.Status last = null; // since the previous tagged answer
        int open = tagToFolder.size();
        while (open > 0) {
            Response r = nextResponse();
            String folder = r.isTagged() ? tagToFolder.get(r.getTag()) : null;
            if (folder != null) {
                open--;
                if (r.isOK()) {
                    // By name; else the one that came just before (a server that spells the name its own way).
                    out.put(folder, new StatusAnswer(true, seen.getOrDefault(folder, last)));
                }
                last = null;
                continue;
            }
            if (r.isBYE()) {
                throw new ConnectionException(this, r);
            }
            if (r instanceof IMAPResponse ir && ir.keyEquals("STATUS")) {
                if (statusParsable(ir)) {
                    org.eclipse.angus.mail.imap.protocol.Status st = new org.eclipse.angus.mail.imap.protocol.Status(r);
                    seen.put(st.mbox, st);
                    last = st;
                }
                continue; // a garbled one is no answer: the folder's OK without a STATUS line is reported as such
            }
            notifyResponseHandlers(new Response[] {r});
        }
        return out;
    }

    /**
     * STATUS of one folder, as Angus's own, except that a STATUS line Angus cannot parse to its end is dropped
     * (then the tagged OK comes without a STATUS answer: null, which the caller reports), not parsed for ever.
     */
    @Override
    public org.eclipse.angus.mail.imap.protocol.Status status(String mbox, String[] items) throws ProtocolException {
        if (!isREV1() && !hasCapability("IMAP4SUNVERSION")) {
            throw new BadCommandException("STATUS not supported"); // as Angus's own
        }
        org.eclipse.angus.mail.iap.Argument args = new org.eclipse.angus.mail.iap.Argument();
        writeMailboxName(args, mbox);
        org.eclipse.angus.mail.iap.Argument list = new org.eclipse.angus.mail.iap.Argument();
        // No items: Angus's standard ones. Angus asks so when a folder's count is read while it is not open (a
        // connection dropped under it); a null here once failed that pass with an internal error (a CI run's
        // SyncHostileServerIT, 2026-12-06).
        for (String item : items == null ? STANDARD_STATUS_ITEMS : items) {
            list.writeAtom(item);
        }
        args.writeArgument(list);
        Response[] r = command("STATUS", args);
        Response result = r[r.length - 1];
        org.eclipse.angus.mail.imap.protocol.Status status = null;
        if (result.isOK()) {
            for (int i = 0; i < r.length - 1; i++) {
                if (r[i] instanceof IMAPResponse ir && ir.keyEquals("STATUS")) {
                    if (statusParsable(ir)) {
                        org.eclipse.angus.mail.imap.protocol.Status one =
                                new org.eclipse.angus.mail.imap.protocol.Status(ir);
                        if (status == null) {
                            status = one;
                        } else {
                            org.eclipse.angus.mail.imap.protocol.Status.add(status, one);
                        }
                    }
                    r[i] = null;
                }
            }
        }
        notifyResponseHandlers(r);
        handleResult(result);
        return status;
    }

    /** Angus's {@code Status.standardItems} (package-private there). */
    private static final String[] STANDARD_STATUS_ITEMS = {"MESSAGES", "RECENT", "UNSEEN", "UIDNEXT", "UIDVALIDITY"};

    private static final java.util.regex.Pattern STATUS_ITEMS =
            java.util.regex.Pattern.compile("[^(]*\\([A-Za-z0-9 \\-]*\\)");

    /**
     * Whether Angus's {@code Status} parser gets to the end of this STATUS response. It reads the mailbox name, skips
     * to the first '(', then reads item and number pairs until a ')': on a garbled line (a second '(' in the list,
     * say) it reads nothing and loops for ever at full CPU (a chaos-proxy pass spun 40 s in it,
     * SyncHostileServerIT, 2026-12-06); on a line cut short it throws. Well-formed: after the name, anything but
     * '(', then '(', atoms and numbers only, ')' at the end. Pure; reads a copy.
     */
    static boolean statusParsable(IMAPResponse r) {
        try {
            IMAPResponse copy = new IMAPResponse(r);
            copy.readAtomString();
            String rest = copy.getRest();
            return rest != null && STATUS_ITEMS.matcher(rest.strip()).matches();
        } catch (RuntimeException e) {
            return false; // Angus's reader ran off the end of a cut line: not parsable either
        }
    }

    /**
     * What a session's pipelined listing answered: the NAMESPACE response (null when not asked, refused or absent),
     * the subscribed folders (LSUB) and every folder (LIST); a refused LSUB or LIST lists nothing, as Angus's own
     * listing does.
     */
    record Listing(
            org.eclipse.angus.mail.imap.protocol.Namespaces namespaces,
            java.util.List<org.eclipse.angus.mail.imap.protocol.ListInfo> subscribed,
            java.util.List<org.eclipse.angus.mail.imap.protocol.ListInfo> all) {}

    /**
     * NAMESPACE (when {@code namespace}), {@code LSUB "" "*"} and {@code LIST "" "*"} written at once, the answers
     * read afterwards: one round trip where a session's start took three (across a WAN, 2 x RTT a mailbox and
     * side). A BAD, a BYE or a line that does not parse fails it as Angus's own LIST would, after every answer is
     * read (the connection stays in step).
     */
    synchronized Listing listAll(boolean namespace) throws ProtocolException {
        String nsTag = null;
        String lsubTag;
        String listTag;
        try {
            if (namespace) {
                nsTag = writeCommand("NAMESPACE", null);
            }
            lsubTag = writeCommand("LSUB", listArguments());
            listTag = writeCommand("LIST", listArguments());
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
        org.eclipse.angus.mail.imap.protocol.Namespaces namespaces = null;
        boolean namespaceOk = false;
        java.util.List<org.eclipse.angus.mail.imap.protocol.ListInfo> subscribed = new java.util.ArrayList<>();
        java.util.List<org.eclipse.angus.mail.imap.protocol.ListInfo> all = new java.util.ArrayList<>();
        Response lsubResult = null;
        Response listResult = null;
        ProtocolException unparsable = null;
        int open = namespace ? 3 : 2;
        while (open > 0) {
            Response r = nextResponse();
            if (r.isTagged()) {
                String tag = r.getTag();
                if (tag.equals(nsTag)) {
                    open--;
                    namespaceOk = r.isOK();
                } else if (tag.equals(lsubTag)) {
                    open--;
                    lsubResult = r;
                } else if (tag.equals(listTag)) {
                    open--;
                    listResult = r;
                } else {
                    notifyResponseHandlers(new Response[] {r});
                }
                continue;
            }
            if (r.isBYE()) {
                throw new ConnectionException(this, r);
            }
            try {
                if (r instanceof IMAPResponse ir && ir.keyEquals("NAMESPACE")) {
                    namespaces = new org.eclipse.angus.mail.imap.protocol.Namespaces(ir);
                    continue;
                }
                if (r instanceof IMAPResponse ir && ir.keyEquals("LSUB")) {
                    subscribed.add(new org.eclipse.angus.mail.imap.protocol.ListInfo(ir));
                    continue;
                }
                if (r instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                    all.add(new org.eclipse.angus.mail.imap.protocol.ListInfo(ir));
                    continue;
                }
            } catch (ProtocolException | RuntimeException e) {
                if (unparsable == null) {
                    unparsable = new org.eclipse.angus.mail.iap.ParsingException(
                            "cannot parse the server's answer to the folder listing: " + r);
                }
                continue;
            }
            notifyResponseHandlers(new Response[] {r});
        }
        if (unparsable != null) {
            throw unparsable;
        }
        return new Listing(namespaceOk ? namespaces : null, listed(lsubResult, subscribed), listed(listResult, all));
    }

    private static org.eclipse.angus.mail.iap.Argument listArguments() {
        org.eclipse.angus.mail.iap.Argument args = new org.eclipse.angus.mail.iap.Argument();
        args.writeString("");
        args.writeString("*");
        return args;
    }

    /** A refused (NO) listing lists nothing, as Angus's; BAD and the rest throw as Angus's {@code handleResult}. */
    private java.util.List<org.eclipse.angus.mail.imap.protocol.ListInfo> listed(
            Response result, java.util.List<org.eclipse.angus.mail.imap.protocol.ListInfo> got)
            throws ProtocolException {
        if (result.isOK()) {
            return got;
        }
        if (result.isNO()) {
            return java.util.List.of();
        }
        handleResult(result);
        return java.util.List.of();
    }

    /**
     * CREATE of every folder in {@code folders}, each followed by a SUBSCRIBE when it is in {@code subscribe},
     * pipelined: all the commands are written at once and the answers read afterwards, so N new folders cost one
     * round trip instead of 2N. The server runs them in order (a SUBSCRIBE after its folder's CREATE). Returns the
     * folders whose CREATE was answered OK, in order; a NO (the folder exists, or a name the server refuses) and
     * the SUBSCRIBE's answer are not reported here: the caller creates any other folder in turn, which says why.
     * A BYE or a broken connection throws {@link ConnectionException}.
     */
    synchronized java.util.List<String> createAll(java.util.List<String> folders, java.util.Set<String> subscribe)
            throws ProtocolException {
        java.util.Map<String, String> creates = new java.util.HashMap<>();
        java.util.Set<String> others = new java.util.HashSet<>();
        try {
            for (String folder : folders) {
                org.eclipse.angus.mail.iap.Argument args = new org.eclipse.angus.mail.iap.Argument();
                writeMailboxName(args, folder);
                creates.put(writeCommand("CREATE", args), folder);
                if (subscribe.contains(folder)) {
                    org.eclipse.angus.mail.iap.Argument sub = new org.eclipse.angus.mail.iap.Argument();
                    writeMailboxName(sub, folder);
                    others.add(writeCommand("SUBSCRIBE", sub));
                }
            }
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
        java.util.Set<String> created = new java.util.HashSet<>();
        int open = creates.size() + others.size();
        while (open > 0) {
            Response r = nextResponse();
            if (r.isTagged() && (creates.containsKey(r.getTag()) || others.contains(r.getTag()))) {
                open--;
                String folder = creates.get(r.getTag());
                if (folder != null && r.isOK()) {
                    created.add(folder);
                }
                continue;
            }
            if (r.isBYE()) {
                throw new ConnectionException(this, r);
            }
            notifyResponseHandlers(new Response[] {r});
        }
        return folders.stream().filter(created::contains).toList();
    }

    /** The next response of a pipelined exchange; a broken connection throws {@link ConnectionException}. */
    private Response nextResponse() throws ProtocolException {
        try {
            return readResponse();
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
    }

    /** One folder's answer to a pipelined STATUS: refused ({@code ok} false), or OK with its status (null if none came). */
    record StatusAnswer(boolean ok, org.eclipse.angus.mail.imap.protocol.Status status) {}

    /**
     * The next response, read into the connection's reused buffer (valid until the next read); a broken connection
     * throws {@link ConnectionException}, as a dropped connection in Angus's own reader.
     */
    private ByteArray readRaw() throws ProtocolException {
        try {
            buffer = getInputStream().readResponse(buffer);
            return buffer;
        } catch (IOException e) {
            throw new ConnectionException(this, Response.byeResponse(e));
        }
    }

    /** A tagged NO or BAD as the exception Angus's {@code handleResult} throws for it. */
    private static ProtocolException refusal(Response tagged) {
        return tagged.isNO() ? new CommandFailedException(tagged) : new BadCommandException(tagged);
    }

    /** Angus's parse of one response (a FETCH becomes a {@code FetchResponse}, as Angus's own reader makes it). */
    IMAPResponse response(byte[] b, int start, int end) throws ProtocolException {
        try {
            IMAPResponse r =
                    new IMAPResponse(new String(b, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1));
            return r.keyEquals("FETCH") ? new FetchResponse(r, getFetchItems(), this) : r;
        } catch (IOException e) {
            throw new ProtocolException("unparsable response: " + e.getMessage());
        }
    }

    static boolean startsWith(byte[] b, int start, int end, byte[] prefix) {
        if (end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The tag of a tagged response (its first word), or null for an untagged one or a continuation. */
    static String tagOf(byte[] b, int start, int end) {
        if (start >= end || b[start] == '*' || b[start] == '+') {
            return null;
        }
        for (int i = start; i < end && i - start < 64; i++) {
            if (b[i] == ' ') {
                return i == start ? null : new String(b, start, i - start, java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}
