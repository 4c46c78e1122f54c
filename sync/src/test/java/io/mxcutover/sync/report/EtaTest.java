package io.mxcutover.sync.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.state.FolderInventory;
import io.mxcutover.sync.state.FolderProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EtaTest {
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    static Optional<Eta.Rate> rate(double messagesPerSecond, double bytesPerSecond) {
        return Optional.of(new Eta.Rate(messagesPerSecond, bytesPerSecond, T0, T0.plusSeconds(60)));
    }

    static Stream<Arguments> estimates() {
        return Stream.of(
                Arguments.of(
                        "a mailbox never listed: unknown, not zero",
                        new Eta.Left(2, 1, 500, 0, true),
                        rate(10, 1000),
                        null,
                        "unknown: 1 of 2 mailbox(es) not listed yet"),
                Arguments.of(
                        "every mailbox never listed",
                        new Eta.Left(3, 3, 0, 0, true),
                        rate(10, 1000),
                        null,
                        "unknown: 3 of 3"),
                Arguments.of(
                        "nothing left", new Eta.Left(2, 0, 0, 0, true), Optional.empty(), 0L, "nothing left to copy"),
                Arguments.of(
                        "nothing left, bytes unknown",
                        new Eta.Left(2, 0, 0, 0, false),
                        Optional.empty(),
                        0L,
                        "nothing left to copy"),
                Arguments.of(
                        "no rate measured yet",
                        new Eta.Left(1, 0, 10, 100, true),
                        Optional.empty(),
                        null,
                        "unknown: no copy rate measured yet"),
                Arguments.of(
                        "nothing copied in the interval",
                        new Eta.Left(1, 0, 10, 100, true),
                        rate(0, 0),
                        null,
                        "unknown: nothing was copied in the measured interval (rate over 60 s); 10 message(s) left"),
                Arguments.of(
                        "messages only (bytes not fetched yet)",
                        new Eta.Left(1, 0, 1000, 0, false),
                        rate(10, 1_000_000),
                        100L,
                        "1000 message(s) left at 10.0 messages/s"),
                Arguments.of(
                        "bytes dominate: large messages left",
                        new Eta.Left(1, 0, 1000, 10_000_000, true),
                        rate(10, 50_000),
                        200L,
                        "1000 message(s), 10000000 bytes left"),
                Arguments.of(
                        "messages dominate: small messages left",
                        new Eta.Left(1, 0, 1000, 1_000_000, true),
                        rate(10, 1_000_000),
                        100L,
                        "at 10.0 messages/s, 1000000 bytes/s"),
                Arguments.of(
                        "rounded up to the second",
                        new Eta.Left(1, 0, 7, 0, false),
                        rate(2, 0),
                        4L,
                        "7 message(s) left"),
                Arguments.of(
                        "bytes left but no bytes rate: by messages",
                        new Eta.Left(1, 0, 20, 5000, true),
                        rate(4, 0),
                        5L,
                        "20 message(s)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimates")
    void estimateShouldDivideWhatIsLeftByRateOrSayUnknownWhenFactsMissing(
            String row, Eta.Left left, Optional<Eta.Rate> rate, Long seconds, String reason) {
        Eta.Estimate e = Eta.estimate(left, rate);

        assertThat(e.eta()).isEqualTo(seconds == null ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds)));
        assertThat(e.reason()).contains(reason);
    }

    static FolderInventory inv(String folder, long messages, Long bytes) {
        return new FolderInventory(folder, messages, bytes == null ? OptionalLong.empty() : OptionalLong.of(bytes), T0);
    }

    static FolderProgress done(String folder, long messages, long bytes) {
        return new FolderProgress(folder, folder, messages, bytes, 0);
    }

    static Stream<Arguments> lefts() {
        return Stream.of(
                Arguments.of("never listed", List.of(), List.of(), new Eta.Left(1, 1, 0, 0, true)),
                Arguments.of(
                        "listed, nothing copied",
                        List.of(inv("INBOX", 10, 1000L), inv("Sent", 5, 500L)),
                        List.of(),
                        new Eta.Left(1, 0, 15, 1500, true)),
                Arguments.of(
                        "half copied",
                        List.of(inv("INBOX", 10, 1000L)),
                        List.of(done("INBOX", 5, 400)),
                        new Eta.Left(1, 0, 5, 600, true)),
                Arguments.of(
                        "more copied than listed (deleted on the source since): zero, not negative",
                        List.of(inv("INBOX", 3, 300L)),
                        List.of(done("INBOX", 5, 500)),
                        new Eta.Left(1, 0, 0, 0, true)),
                Arguments.of(
                        "a folder's bytes unknown",
                        List.of(inv("INBOX", 10, 1000L), inv("Sent", 5, null)),
                        List.of(done("INBOX", 10, 1000)),
                        new Eta.Left(1, 0, 5, 0, false)),
                Arguments.of(
                        "copied from a folder no longer listed is ignored",
                        List.of(inv("INBOX", 4, 40L)),
                        List.of(done("Old", 9, 90)),
                        new Eta.Left(1, 0, 4, 40, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lefts")
    void leftShouldBeInventoryMinusJournalWhenListed(
            String row, List<FolderInventory> inventory, List<FolderProgress> progress, Eta.Left expected) {
        assertThat(Eta.left(inventory, progress)).isEqualTo(expected);
    }

    @Test
    void rateMeterShouldMeasureFromLastIdleReadingOverWindow() {
        RateMeter meter = new RateMeter();
        assertThat(meter.rate()).isEmpty();
        meter.record(T0, 100, 10_000);
        meter.record(T0.plusSeconds(30), 100, 10_000); // idle before the copy starts: not counted
        meter.record(T0.plusMillis(30_500), 999, 999); // closer than a second to the last reading: not kept
        meter.record(T0.plusSeconds(40), 200, 20_000);
        meter.record(T0.plusSeconds(50), 300, 30_000);

        Eta.Rate r = meter.rate().orElseThrow();
        assertThat(r.messagesPerSecond()).isEqualTo(10.0);
        assertThat(r.bytesPerSecond()).isEqualTo(1000.0);
        assertThat(r.from()).isEqualTo(T0.plusSeconds(30));

        // Later, only the readings of the last ten minutes count, and the one just before them.
        meter.record(T0.plusSeconds(660), 1000, 100_000);
        meter.record(T0.plusSeconds(720), 1600, 160_000);
        meter.record(T0.plusSeconds(1300), 2200, 220_000);
        Eta.Rate later = meter.rate().orElseThrow();
        assertThat(later.from()).isEqualTo(T0.plusSeconds(660));
        assertThat(later.messagesPerSecond()).isEqualTo(1200 / 640.0);
    }
}
