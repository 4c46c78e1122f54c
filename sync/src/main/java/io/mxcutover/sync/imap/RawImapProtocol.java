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
            ByteArray r;
            try {
                r = getInputStream().readResponse(buffer);
            } catch (IOException e) {
                throw new ConnectionException(this, Response.byeResponse(e));
            }
            buffer = r;
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
                if (tagged.isNO()) {
                    throw new CommandFailedException(tagged);
                }
                throw new BadCommandException(tagged);
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
}
