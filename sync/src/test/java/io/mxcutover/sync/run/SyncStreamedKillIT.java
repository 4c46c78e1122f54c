package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.cli.SyncCliIT;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.Maildir;
import io.mxcutover.sync.testing.SyncFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the one-shot sync while the new server is receiving a large message that is streamed from
 * the legacy FETCH (its APPEND announced and half sent): the moment is caught by watching the new Dovecot's Maildir
 * {@code tmp/}, where Dovecot writes an APPEND as it arrives. The killed connection's partial APPEND must leave no
 * message behind, the journal's INTENT must make the next run look it up and copy it, and in the end every legacy
 * message is on the new server exactly once, byte-identical.
 */
@ExtendWith(DovecotPair.class)
class SyncStreamedKillIT {
    /** Three small messages (their sizes prove the server's RFC822.SIZE exact: streaming on), then 8 of ~5 MiB. */
    private static List<String> seed(DovecotPair.Servers servers, String user) throws IOException {
        Path inbox = Maildir.folder(servers.legacy().real().mailRoot(), user, "INBOX");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            boolean large = i >= 3;
            byte[] m = SyncFixture.message(
                    "From: a@example.test\nSubject: kill " + i + "\nMessage-ID: <kill" + i + "." + user + "@x>",
                    ("line " + i + " of a large message streamed while the sync is killed, padded to width\n")
                            .repeat(large ? 66_000 + i : 12));
            Maildir.write(inbox, m, "", Instant.parse("2003-01-02T03:04:05Z").plusSeconds(i));
            hashes.add(SyncFixture.sha256(m));
        }
        return hashes;
    }

    /** Whether the new server holds an APPEND in progress of over 1 MiB (a file in a Maildir tmp/). */
    private static boolean appendInProgress(Path home) {
        if (!Files.isDirectory(home)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(home)) {
            return files.anyMatch(p -> p.getParent() != null
                    && p.getParent().getFileName().toString().equals("tmp")
                    && sizeOf(p) > (1 << 20));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // a file renamed away while listed: look again
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void syncKilledWhileALargeMessageIsStreamedShouldLeaveNoPartAndCopyEveryMessageOnce(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("streamkill");
        List<String> legacy = seed(servers, user);
        List<String> args = SyncKillIT.cliArgs(servers, tmp, List.of(user), "--parallel", "1");
        Path home = servers.target().real().mailRoot().resolve(user);
        StringBuilder history = new StringBuilder();
        int midStream = 0;
        for (int k = 0; k < 3; k++) {
            Process p = SyncKillIT.start(tmp, args, k);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean caught = false;
            // Run k kills once 3 + k messages are done: the first large message a run copies is stored first (its
            // process has seen no size proved exact yet, unless the small ones came before it), the next streamed.
            while (p.isAlive() && System.nanoTime() < deadline) {
                if (SyncKillIT.done(tmp.resolve("state.db")) >= 3 + k && appendInProgress(home)) {
                    caught = true;
                    break;
                }
                Thread.sleep(1);
            }
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            midStream += caught ? 1 : 0;
            history.append(String.format(
                    "run %d: %s; journal: %s%n",
                    k,
                    caught ? "killed during a streamed APPEND" : "ended first",
                    SyncKillIT.journal(tmp.resolve("state.db"))));
        }
        System.out.print(history);
        assertThat(midStream)
                .as("kills that landed during a streamed APPEND\n%s", history)
                .isPositive();

        SyncCliIT.Result last = SyncCliIT.cli(tmp, args, "--verify");
        assertThat(last.exit()).as(history + last.output()).isZero();
        assertThat(SyncBadInputIT.folder(servers, user, "INBOX"))
                .extracting(m -> SyncFixture.sha256(m.body()))
                .as("every legacy message once on new, none partial\n%s", history)
                .containsExactlyInAnyOrderElementsOf(legacy);
    }
}
