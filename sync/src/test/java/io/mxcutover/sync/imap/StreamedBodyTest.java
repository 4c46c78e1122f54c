package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A large message between the legacy FETCH and the new server's APPEND: its bytes pass in order, and the literal
 * (RFC822.SIZE long, announced before the first byte) is never completed with bytes that are not the message's:
 * shorter, longer, a failed or stalled source all stop it short, with a reason.
 */
class StreamedBodyTest {
    private static final String WHAT = "message UID 7 of folder 'INBOX' on legacy server h:143";

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** A stream of {@code declared} bytes with room for 10,000 in between and a 10 s wait. */
    private static StreamedBody body(long declared) {
        return new StreamedBody(WHAT, declared, 10_000, 10_000);
    }

    /** The literal never got all {@code declared} bytes, and the drain failed saying {@code reasons}. */
    private static void assertCutShort(
            CompletableFuture<Void> drained, ByteArrayOutputStream out, long declared, String... reasons) {
        Throwable e = failureOf(drained);
        assertThat(e).isInstanceOf(IOException.class);
        for (String reason : reasons) {
            assertThat(e).hasMessageContaining(reason);
        }
        assertThat(out.size()).isLessThan((int) declared);
    }

    /** The consumer on its own thread, as the appender is. */
    private static CompletableFuture<Void> drain(StreamedBody body, ByteArrayOutputStream out) {
        return CompletableFuture.runAsync(() -> {
            try {
                body.drainTo(out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static Throwable failureOf(CompletableFuture<Void> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the drain did not fail");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bytesShouldPassInOrderAndTheHashBeKnownAtTheEnd() throws Exception {
        byte[] message = bytes(10_000, 3);
        StreamedBody body = new StreamedBody(WHAT, message.length, 4_000, 10_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> drained = drain(body, out);
        for (int off = 0; off < message.length; off += 1_500) {
            body.write(message, off, Math.min(1_500, message.length - off));
        }
        body.finish(message.length, ContentHash.sha256(message));
        drained.get(10, TimeUnit.SECONDS);
        assertThat(out.toByteArray()).isEqualTo(message);
        assertThat(body.sha256()).isEqualTo(ContentHash.sha256(message));
        assertThat(body.failure()).isNull();
    }

    @Test
    void theLastSliceShouldWaitUntilTheSourceSaysTheMessageEnds() throws Exception {
        byte[] message = bytes(3_000, 5);
        StreamedBody body = body(message.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.write(message, 0, 1_000);
        body.write(message, 1_000, 2_000); // every byte is there, but not the end
        CompletableFuture<Void> drained = drain(body, out);
        Thread.sleep(300);
        assertThat(drained).isNotDone();
        synchronized (out) {
            assertThat(out.size()).isEqualTo(1_000); // the literal is not complete
        }
        assertThatThrownBy(body::sha256).isInstanceOf(IllegalStateException.class);
        body.finish(message.length, ContentHash.sha256(message));
        drained.get(10, TimeUnit.SECONDS);
        assertThat(out.toByteArray()).isEqualTo(message);
    }

    @Test
    void aMessageShorterThanItsSizeShouldNeverCompleteTheLiteral() throws Exception {
        byte[] message = bytes(2_500, 7);
        StreamedBody body = body(3_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> drained = drain(body, out);
        body.write(message, 0, 2_500);
        body.finish(2_500, ContentHash.sha256(message));
        assertCutShort(drained, out, 3_000, "sent 2500 bytes of " + WHAT, "RFC822.SIZE said 3000");
        assertThat(body.failure()).isNotNull();
        assertThat(body.mismatched()).isTrue();
        assertThat(body.mismatchedAt()).isEqualTo(2_500);
    }

    @Test
    void aMessageLongerThanItsSizeShouldFailTheSourceAndNeverCompleteTheLiteral() throws Exception {
        byte[] message = bytes(3_500, 9);
        StreamedBody body = body(3_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> drained = drain(body, out);
        body.write(message, 0, 2_000);
        assertThatThrownBy(() -> body.write(message, 2_000, 1_500))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("at least 3500 bytes");
        assertThat(body.mismatchedAt())
                .as("a lower bound: the stream stops there")
                .isEqualTo(3_500);
        assertCutShort(drained, out, 3_000, "RFC822.SIZE said 3000");
    }

    /** The last slice makes the message exactly as long as announced, and then more comes: still refused. */
    @Test
    void bytesAfterTheAnnouncedEndShouldFailEvenWhenTheSizeWasReachedExactly() throws Exception {
        byte[] message = bytes(3_100, 11);
        StreamedBody body = body(3_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> drained = drain(body, out);
        body.write(message, 0, 3_000);
        assertThatThrownBy(() -> body.write(message, 3_000, 100)).isInstanceOf(IOException.class);
        assertCutShort(drained, out, 3_000, "RFC822.SIZE said 3000");
    }

    @Test
    void aSourceFailureShouldStopTheLiteralWithItsReason() throws Exception {
        StreamedBody body = body(5_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> drained = drain(body, out);
        body.write(bytes(1_000, 1), 0, 1_000);
        body.fail(new ImapException(ImapException.Kind.CONNECTION, "connection reset by the legacy server", "", null));
        assertCutShort(
                drained,
                out,
                5_000,
                "the legacy server stopped sending " + WHAT,
                "connection reset by the legacy server");
        assertThat(body.mismatched()).as("a failed source is no size mismatch").isFalse();
    }

    @Test
    void aStalledSourceShouldFailTheLiteralAfterTheWait() {
        StreamedBody body = new StreamedBody(WHAT, 5_000, 10_000, 200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> body.drainTo(out))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the legacy server sent no bytes of " + WHAT);
        assertThatThrownBy(() -> body.write(new byte[10], 0, 10)).isInstanceOf(IOException.class);
    }

    @Test
    void anAbandonedAppendShouldStopTheSourceAtItsNextWrite() throws Exception {
        StreamedBody body = body(5_000);
        body.write(bytes(1_000, 2), 0, 1_000);
        RawMessage raw = RawMessage.streamed(
                new io.mxcutover.sync.plan.MessageMeta(
                        7, io.mxcutover.sync.plan.Identity.of(new byte[0], 5_000, 0), java.util.Set.of(), 0),
                body);
        raw.close(); // what the copier does with a batch it will not send
        assertThatThrownBy(() -> body.write(new byte[10], 0, 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stopped");
        assertThat(raw.streamed()).isTrue();
        assertThat(raw.size()).isEqualTo(5_000);
    }

    @Test
    void theSourceShouldWaitWhileCapacityBytesAreNotTaken() throws Exception {
        StreamedBody body = new StreamedBody(WHAT, 10_000, 2_000, 10_000);
        body.write(bytes(2_000, 4), 0, 2_000);
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                body.write(bytes(1_000, 5), 0, 1_000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(third).isNotDone(); // bounded: the legacy link waits for the new one
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> drained = drain(body, out);
        third.get(10, TimeUnit.SECONDS);
        body.write(bytes(7_000, 6), 0, 7_000);
        body.finish(10_000, "hash");
        drained.get(10, TimeUnit.SECONDS);
        assertThat(out.size()).isEqualTo(10_000);
        assertThat(Arrays.copyOfRange(out.toByteArray(), 0, 2_000)).isEqualTo(bytes(2_000, 4));
    }

    @Test
    void aStreamShouldBeSentOnceOnly() throws Exception {
        byte[] message = bytes(100, 8);
        StreamedBody body = new StreamedBody(WHAT, 100, 1_000, 10_000);
        body.write(message, 0, 100);
        body.finish(100, ContentHash.sha256(message));
        body.drainTo(new ByteArrayOutputStream());
        assertThatThrownBy(() -> body.drainTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("streamed once already");
    }
}
