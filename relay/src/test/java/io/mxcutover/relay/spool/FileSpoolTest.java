package io.mxcutover.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpoolTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final Envelope ENVELOPE = new Envelope(
            Optional.of("alice@example.org"),
            List.of(MailAddress.of("bob@example.test"), MailAddress.of("carol@example.test")));
    static final byte[] MESSAGE = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    FileSpool spool;

    @AfterEach
    void close() {
        if (spool != null) {
            spool.close();
        }
    }

    FileSpool open() throws IOException {
        if (spool != null) {
            spool.close();
        }
        spool = FileSpool.open(root, CLOCK, SpoolFaults.NONE, 0);
        return spool;
    }

    SpoolEntry store(FileSpool s, String id, byte[] message) throws IOException {
        try (SpoolWriter w = s.begin(SpoolId.of(id), "192.0.2.1", "client.example", SpoolEntry.Origin.SMTP, ENVELOPE)) {
            w.write(message);
            return w.commit();
        }
    }

    @Test
    void spoolShouldWriteGoldenFormatWhenCommitted() throws Exception {
        store(open(), "0ABCDEFGH000001XYZ", MESSAGE);
        byte[] actual = Files.readAllBytes(root.resolve("incoming/0ABCDEFGH000001XYZ"));
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/spool/golden-1.ref")) {
            golden = in.readAllBytes();
        }
        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(golden, StandardCharsets.UTF_8));
    }

    @Test
    void spoolShouldReadBackEntryAndExactMessageBytes() throws Exception {
        SpoolEntry written = store(open(), "0ABCDEFGH000002XYZ", MESSAGE);
        SpoolEntry read = spool.read(written.id(), SpoolState.INCOMING);
        assertThat(read).isEqualTo(written);
        try (InputStream in = spool.openMessage(read, SpoolState.INCOMING)) {
            assertThat(in.readAllBytes()).isEqualTo(MESSAGE);
        }
    }

    @Test
    void spoolShouldKeepNullSenderWhenStored() throws Exception {
        open();
        Envelope bounce = new Envelope(Optional.empty(), List.of(MailAddress.of("a@example.test")));
        SpoolEntry e;
        try (SpoolWriter w =
                spool.begin(SpoolId.of("0ABCDEFGH000003XYZ"), "127.0.0.1", "h", SpoolEntry.Origin.BOUNCE, bounce)) {
            w.write(MESSAGE);
            e = w.commit();
        }
        assertThat(spool.read(e.id(), SpoolState.INCOMING).envelope().hasNullSender())
                .isTrue();
        assertThat(spool.read(e.id(), SpoolState.INCOMING).origin()).isEqualTo(SpoolEntry.Origin.BOUNCE);
    }

    /** Log lines of the spool classes at WARN and above, while {@code body} runs. */
    static List<String> warnings(ThrowingRunnable body) throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.mxcutover.relay.spool");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            body.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void recoveryShouldSayNoActionNeededOnceWhenSetAsideFileWasNeverAcknowledged() throws Exception {
        open();
        SpoolWriter w =
                spool.begin(SpoolId.of("0ABCDEFGH000006XYZ"), "192.0.2.1", "c", SpoolEntry.Origin.SMTP, ENVELOPE);
        w.write(MESSAGE);
        // no commit: the process "dies" during DATA, the client never got 250
        List<String> first = warnings(() -> SpoolRecovery.recover(open()));
        assertThat(first).hasSize(1);
        assertThat(first.get(0))
                .startsWith("WARN ")
                .contains("0ABCDEFGH000006XYZ.tmp", "NOT told 250", "no action needed", "do not resubmit")
                .doesNotContain("ACTION NEEDED");
        assertThat(Files.readString(root.resolve("corrupt/0ABCDEFGH000006XYZ.tmp.why")))
                .contains("acknowledged: no", "action-needed: no");
        List<String> second = warnings(() -> SpoolRecovery.recover(open()));
        assertThat(second).isEmpty();
        assertThat(root.resolve("corrupt/0ABCDEFGH000006XYZ.tmp")).exists();
    }

    @Test
    void recoveryShouldSayNoActionNeededWhenCommittedFileLacksItsTrailer() throws Exception {
        // A system crash between the rename and the force: the name is final, the trailer never
        // reached the disk, and the 250 (which follows the force) was never sent.
        store(open(), "0ABCDEFGH000008XYZ", MESSAGE);
        try (RandomAccessFile raf =
                new RandomAccessFile(root.resolve("incoming/0ABCDEFGH000008XYZ").toFile(), "rw")) {
            raf.setLength(raf.length() - 5);
        }
        List<String> first = warnings(() -> SpoolRecovery.recover(open()));
        assertThat(first).singleElement().asString().startsWith("WARN ").contains("NOT told 250", "no action needed");
        assertThat(Files.readString(root.resolve("corrupt/0ABCDEFGH000008XYZ.why")))
                .contains("acknowledged: no");
        assertThat(warnings(() -> SpoolRecovery.recover(open()))).isEmpty();
    }

    @Test
    void recoveryShouldSayActionNeededOnceWhenSetAsideFileWasAcknowledged() throws Exception {
        store(open(), "0ABCDEFGH000007XYZ", MESSAGE);
        Path committed = root.resolve("incoming/0ABCDEFGH000007XYZ");
        // complete (trailer intact) but its header no longer reads: damaged after the 250
        Files.write(
                committed,
                new String(Files.readAllBytes(committed), StandardCharsets.ISO_8859_1)
                        .replace("arrival 1", "arrival x")
                        .getBytes(StandardCharsets.ISO_8859_1));
        List<String> first = warnings(() -> SpoolRecovery.recover(open()));
        assertThat(first).hasSize(1);
        assertThat(first.get(0))
                .startsWith("ERROR ")
                .contains("0ABCDEFGH000007XYZ", "WAS told 250", "ACTION NEEDED", "deferred/")
                .doesNotContain("no action needed");
        assertThat(Files.readString(root.resolve("corrupt/0ABCDEFGH000007XYZ.why")))
                .contains("acknowledged: yes", "action-needed: yes", "malformed header");
        List<String> second = warnings(() -> SpoolRecovery.recover(open()));
        assertThat(second).isEmpty();
        assertThat(root.resolve("corrupt/0ABCDEFGH000007XYZ")).exists();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "0ABCDEFGH000006XYZ.tmp, false, false, INCOMPLETE, false",
        "0ABCDEFGH000006XYZ.tmp, true, false, INCOMPLETE, false",
        "0ABCDEFGH000006XYZ.tmp, false, true, INCOMPLETE, false",
        "0ABCDEFGH000006XYZ, false, true, INCOMPLETE, false",
        "0ABCDEFGH000006XYZ, false, false, DAMAGED, true",
        "0ABCDEFGH000006XYZ, true, false, DUPLICATE, true",
        "notes.txt, false, false, FOREIGN, false",
        "notes.txt, false, true, FOREIGN, false",
        ".nfs0001, false, false, FOREIGN, false",
    })
    void setAsideShouldKnowFromNameAndTrailerWhetherTheSenderWasTold250(
            String name, boolean duplicate, boolean incomplete, SetAside.Kind kind, boolean acknowledged) {
        assertThat(SetAside.kindOf(name, duplicate, incomplete)).isEqualTo(kind);
        SetAside s = new SetAside(kind, "x");
        assertThat(s.acknowledged()).isEqualTo(acknowledged);
        assertThat(s.advice()).contains(s.needsAction() ? "ACTION NEEDED" : "no action needed");
    }

    @Test
    void recoveryShouldSetAsideIncompleteFileWhenCrashBeforeCommit() throws Exception {
        open();
        SpoolWriter w =
                spool.begin(SpoolId.of("0ABCDEFGH000004XYZ"), "192.0.2.1", "c", SpoolEntry.Origin.SMTP, ENVELOPE);
        w.write(MESSAGE);
        // no commit: the process "dies" here
        SpoolRecovery.Report report = SpoolRecovery.recover(open());
        assertThat(report.messages()).isEmpty();
        assertThat(report.setAside()).isEqualTo(1);
        assertThat(root.resolve("corrupt/0ABCDEFGH000004XYZ.tmp")).exists();
    }

    @Test
    void recoveryShouldSetAsideFileWhenTrailerIsMissing() throws Exception {
        store(open(), "0ABCDEFGH000005XYZ", MESSAGE);
        Path f = root.resolve("incoming/0ABCDEFGH000005XYZ");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 5);
        }
        SpoolRecovery.Report report = SpoolRecovery.recover(open());
        assertThat(report.messages()).isEmpty();
        assertThat(root.resolve("corrupt/0ABCDEFGH000005XYZ")).exists();
        assertThat(f).doesNotExist();
    }

    @Test
    void recoveryShouldReturnCommittedMessagesWithTheirStatus() throws Exception {
        store(open(), "0ABCDEFGH000006XYZ", MESSAGE);
        store(spool, "0ABCDEFGH000007XYZ", MESSAGE);
        spool.move(SpoolId.of("0ABCDEFGH000007XYZ"), SpoolState.INCOMING, SpoolState.DEFERRED, false);
        DeliveryStatus st = DeliveryStatus.FRESH
                .withFinished(Map.of("bob@example.test", "delivered"))
                .afterAttempt(Instant.parse("2026-01-01T00:05:00Z"), "451 4.3.0 try later");
        spool.writeStatus(SpoolId.of("0ABCDEFGH000007XYZ"), st);
        Files.writeString(root.resolve("status/0ABCDEFGH00000ZZZZ"), "attempts 1\nend\n"); // orphan
        SpoolRecovery.Report report = SpoolRecovery.recover(open());
        assertThat(report.messages()).hasSize(2);
        SpoolRecovery.Recovered deferred = report.messages().stream()
                .filter(r -> r.state() == SpoolState.DEFERRED)
                .findFirst()
                .orElseThrow();
        assertThat(deferred.status()).isEqualTo(st);
        assertThat(deferred.status().isFinished("bob@example.test")).isTrue();
        assertThat(report.orphanStatusFiles()).isEqualTo(1);
        assertThat(root.resolve("status/0ABCDEFGH00000ZZZZ")).doesNotExist();
    }

    @Test
    void openMessageShouldFailWhenBytesAreDamaged() throws Exception {
        SpoolEntry e = store(open(), "0ABCDEFGH000008XYZ", MESSAGE);
        Path f = root.resolve("incoming/0ABCDEFGH000008XYZ");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(e.messageOffset() + 2);
            raf.write('X');
        }
        try (InputStream in = spool.openMessage(e, SpoolState.INCOMING)) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void commitShouldFailAndLeaveNothingWhenForceFails() throws Exception {
        spool = FileSpool.open(
                root,
                CLOCK,
                (step, id) -> {
                    if (step == SpoolFaults.Step.FORCE) {
                        throw new IOException("Input/output error");
                    }
                },
                0);
        SpoolWriter w = spool.begin(SpoolId.of("0ABCDEFGH000009XYZ"), "c", "h", SpoolEntry.Origin.SMTP, ENVELOPE);
        w.write(MESSAGE);
        assertThatThrownBy(w::commit).isInstanceOf(SpoolException.class).isNotInstanceOf(SpoolFullException.class);
        try (var files = Files.list(root.resolve("incoming"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void commitShouldReportFullDiskWhenNoSpaceLeft() throws Exception {
        spool = FileSpool.open(
                root,
                CLOCK,
                (step, id) -> {
                    if (step == SpoolFaults.Step.WRITE) {
                        throw new IOException("No space left on device");
                    }
                },
                0);
        SpoolWriter w = spool.begin(SpoolId.of("0ABCDEFGH00000AXYZ"), "c", "h", SpoolEntry.Origin.SMTP, ENVELOPE);
        w.write(MESSAGE);
        assertThatThrownBy(w::commit).isInstanceOf(SpoolFullException.class);
    }

    @Test
    void commitShouldNotAcknowledgeWhenDirectorySyncFails() throws Exception {
        spool = FileSpool.open(
                root,
                CLOCK,
                (step, id) -> {
                    if (step == SpoolFaults.Step.DIRECTORY_SYNC) {
                        throw new IOException("Input/output error");
                    }
                },
                0);
        SpoolWriter w = spool.begin(SpoolId.of("0ABCDEFGH00000BXYZ"), "c", "h", SpoolEntry.Origin.SMTP, ENVELOPE);
        w.write(MESSAGE);
        assertThatThrownBy(w::commit).isInstanceOf(SpoolException.class);
        assertThat(root.resolve("incoming/0ABCDEFGH00000BXYZ")).doesNotExist();
    }

    @Test
    void beginShouldRefuseWhenFreeSpaceBelowReserve() throws Exception {
        spool = FileSpool.open(root, CLOCK, SpoolFaults.NONE, Long.MAX_VALUE);
        assertThatThrownBy(
                        () -> spool.begin(SpoolId.of("0ABCDEFGH00000CXYZ"), "c", "h", SpoolEntry.Origin.SMTP, ENVELOPE))
                .isInstanceOf(SpoolFullException.class);
    }

    @Test
    void removeShouldDeleteMessageAndStatus() throws Exception {
        SpoolEntry e = store(open(), "0ABCDEFGH00000DXYZ", MESSAGE);
        spool.writeStatus(e.id(), DeliveryStatus.FRESH.afterAttempt(Instant.EPOCH, "x"));
        spool.remove(e.id(), SpoolState.INCOMING);
        assertThat(root.resolve("incoming/0ABCDEFGH00000DXYZ")).doesNotExist();
        assertThat(root.resolve("status/0ABCDEFGH00000DXYZ")).doesNotExist();
    }

    @Test
    void groupCommitShouldShareDirectoryFsyncsWhenSessionsAreConcurrent() throws Exception {
        open();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<SpoolEntry>> fs = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                String id = String.format("1ABCDEFGH%09d", i);
                fs.add(pool.submit(() -> store(spool, id, MESSAGE)));
            }
            for (Future<SpoolEntry> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(spool.directorySyncRequests()).isEqualTo(256);
        assertThat(spool.directorySyncRounds()).isLessThan(256);
        assertThat(SpoolRecovery.recover(spool).messages()).hasSize(256);
    }

    @Test
    void deliveryStatusShouldRoundTrip() throws Exception {
        DeliveryStatus st = new DeliveryStatus(
                3,
                Instant.parse("2026-01-02T03:04:05Z"),
                true,
                Map.of("a@b.test", "delivered", "c@d.test", "bounced"),
                "451 4.7.1 greylisted\nsecond line");
        open().writeStatus(SpoolId.of("0ABCDEFGH00000EXYZ"), st);
        DeliveryStatus back = spool.readStatus(SpoolId.of("0ABCDEFGH00000EXYZ")).orElseThrow();
        assertThat(back.attempts()).isEqualTo(3);
        assertThat(back.finished()).isEqualTo(st.finished());
        assertThat(back.lastReply()).isEqualTo("451 4.7.1 greylisted?second line");
        assertThat(back.delayWarned()).isTrue();
    }

    @Test
    void spoolShouldReuseFinishedMessageFilesEmptiedWhenStoringNewOnes() throws Exception {
        FileSpool s = open();
        SpoolEntry first = store(s, "0AAAAAAAAAAAAA001", MESSAGE);
        Object inode = Files.getAttribute(s.path(first.id(), SpoolState.INCOMING), "unix:ino");
        s.remove(first.id(), SpoolState.INCOMING);
        assertThat(s.path(first.id(), SpoolState.INCOMING)).doesNotExist();
        try (var pool = Files.list(root.resolve("recycle"))) {
            List<Path> files = pool.toList();
            assertThat(files).hasSize(1);
            assertThat(Files.size(files.get(0)))
                    .as("emptied: no delivered mail lingers")
                    .isZero();
        }
        byte[] other = "Subject: second\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        SpoolEntry second = store(s, "0AAAAAAAAAAAAA002", other);
        assertThat(Files.getAttribute(s.path(second.id(), SpoolState.INCOMING), "unix:ino"))
                .isEqualTo(inode);
        try (InputStream in = s.openMessage(second, SpoolState.INCOMING)) {
            assertThat(in.readAllBytes()).isEqualTo(other);
        }
        // a reopened spool finds the pool again, and recovery never takes it for mail
        s.remove(second.id(), SpoolState.INCOMING);
        SpoolRecovery.Report report = SpoolRecovery.recover(open());
        assertThat(report.messages()).isEmpty();
        assertThat(report.setAside()).isZero();
        SpoolEntry third = store(spool, "0AAAAAAAAAAAAA003", MESSAGE);
        assertThat(Files.getAttribute(spool.path(third.id(), SpoolState.INCOMING), "unix:ino"))
                .isEqualTo(inode);
    }
}
