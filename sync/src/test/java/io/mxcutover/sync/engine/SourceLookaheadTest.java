package io.mxcutover.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.plan.FolderSnapshot;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-ahead's life: started once and never after the seal, taken or discarded, its failure thrown as it was. */
class SourceLookaheadTest {
    private static final SourceLookahead.Ahead EMPTY =
            new SourceLookahead.Ahead(FolderSnapshot.empty("INBOX.Work"), List.of());

    @Test
    void aSealedNextShouldNeverStart() {
        AtomicInteger runs = new AtomicInteger();
        SourceLookahead.Next next = new SourceLookahead.Next("INBOX.Work", () -> {
            runs.incrementAndGet();
            return EMPTY;
        });

        assertThat(next.seal()).isNull();
        next.start(); // a fetcher that ended after its folder did

        assertThat(next.seal()).isNull();
        assertThat(runs).hasValue(0);
    }

    @Test
    void startShouldRunTheReadOnceAndTakeShouldGiveItsResult() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SourceLookahead.Next next = new SourceLookahead.Next("INBOX.Work", () -> {
            runs.incrementAndGet();
            return EMPTY;
        });

        next.start();
        next.start();
        SourceLookahead ahead = next.seal();

        assertThat(ahead.folder()).isEqualTo("INBOX.Work");
        assertThat(ahead.take()).isSameAs(EMPTY);
        assertThat(runs).hasValue(1);
    }

    @Test
    void takeShouldThrowTheReadsFailureAsItWas() {
        ImapException refused = new ImapException(
                ImapException.Kind.REFUSED, "the legacy server refused to FETCH in 'INBOX.Work'", "NO", null);
        SourceLookahead.Next next = new SourceLookahead.Next("INBOX.Work", () -> {
            throw refused;
        });
        next.start();

        assertThatThrownBy(() -> next.seal().take()).isSameAs(refused);
    }

    /**
     * A read not taken is interrupted when discarded: one waiting at a throttled server's gate (here: a sleep of a
     * minute) ends at once, and discard returns once it has.
     */
    @Test
    void discardShouldInterruptAReadNotTakenAndWaitForItsEnd() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        SourceLookahead.Next next = new SourceLookahead.Next("INBOX.Work", () -> {
            waiting.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw new ImapException(ImapException.Kind.CONNECTION, "interrupted", "", e);
            }
            return EMPTY;
        });
        next.start();
        SourceLookahead ahead = next.seal();
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        ahead.discard();

        assertThat(interrupted).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
    }
}
