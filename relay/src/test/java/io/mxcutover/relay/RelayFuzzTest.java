package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.SmtpFuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@code bench/relay/fuzz.sh}: 300 seeded hostile sessions (malformed
 * commands, huge lines, NULs, 8-bit, pipelining and BDAT abuse, half-closed sockets, TLS garbage).
 * The relay answers every line with a proper reply, closes every session, still takes a clean
 * message afterwards, and delivers everything it acknowledged; nothing is set aside as corrupt.
 */
class RelayFuzzTest {

    @TempDir
    Path dir;

    @Test
    void relayShouldStayUpAndAnswerProperlyWhenFedHostileSessions() throws Exception {
        try (FakeTarget target = new FakeTarget();
                Relay relay = SmtpFuzz.relay(dir, target)) {
            SmtpFuzz.Result r = SmtpFuzz.run(relay.listenAddress(), 20261205L, 300);
            System.out.println("smtp fuzz (short): " + r);
            assertThat(r.violations()).isEmpty();
            assertThat(SmtpFuzz.afterRun(relay, target, r, Duration.ofSeconds(30)))
                    .isEmpty();
            assertThat(r.replyClasses()).containsKeys("2xx", "5xx");
        }
        try (var corrupt = Files.list(dir.resolve("spool/corrupt"))) {
            assertThat(corrupt.filter(f -> !f.getFileName().toString().contains(".tmp")))
                    .isEmpty();
        }
    }
}
