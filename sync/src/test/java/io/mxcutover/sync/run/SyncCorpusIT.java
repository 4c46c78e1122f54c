package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.testing.Corpus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.Maildir;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.verify.VerifyReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** All 6,046 SpamAssassin messages, seeded as Maildir files on legacy, copied and compared byte by byte. */
@ExtendWith(DovecotPair.class)
class SyncCorpusIT {
    @Test
    void corpusShouldArriveByteIdenticalWhenCopied(DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        List<byte[]> corpus = Corpus.messages();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(6000);
        String user = servers.newUser("corpus");
        Map<String, String> folders = Map.of("INBOX", "INBOX", "Spam", "Spam", "Archive.2002", "Archive/2002");
        List<String> maildirs = List.copyOf(folders.keySet());
        for (int i = 0; i < corpus.size(); i++) {
            Path dir = Maildir.folder(servers.legacy().real().mailRoot(), user, maildirs.get(i % maildirs.size()));
            Maildir.write(
                    dir,
                    corpus.get(i),
                    i % 2 == 0 ? "S" : "",
                    Instant.parse("2002-08-01T00:00:00Z").plusSeconds(i * 60L));
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            MailboxResult r = service.syncOnce(user + "@example.test");
            assertThat(r.complete()).as(String.valueOf(r.reason())).isTrue();
            assertThat(r.copied()).isEqualTo(corpus.size());
            long nonCanonical = 0;
            for (Map.Entry<String, String> f : folders.entrySet()) {
                List<RawImapClient.Fetched> source =
                        fetch(servers.legacy(), user, "INBOX".equals(f.getKey()) ? "INBOX" : "INBOX." + f.getKey());
                List<RawImapClient.Fetched> target = fetch(servers.target(), user, f.getValue());
                java.util.Set<String> targetHashes = new java.util.HashSet<>();
                target.forEach(t -> targetHashes.add(SyncFixture.sha256(t.body())));
                List<String> differing = source.stream()
                        .filter(m -> !targetHashes.contains(SyncFixture.sha256(m.body())))
                        .filter(m -> canonical(m.body()))
                        .map(m -> "UID " + m.uid() + " " + m.body().length + " bytes: "
                                + new String(
                                                m.body(),
                                                0,
                                                Math.min(200, m.body().length),
                                                java.nio.charset.StandardCharsets.ISO_8859_1)
                                        .replace("\r", "\\r")
                                        .replace("\n", "\\n"))
                        .limit(3)
                        .toList();
                assertThat(differing)
                        .as("canonical source messages without a byte-identical copy in " + f.getValue())
                        .isEmpty();
                assertThat(target).hasSameSizeAs(source);
                nonCanonical += source.stream()
                        .filter(m -> !targetHashes.contains(SyncFixture.sha256(m.body())))
                        .count();
            }
            assertThat(service.syncOnce(user + "@example.test").copied()).isZero();
            VerifyReport verify = service.verify(user + "@example.test");
            assertThat(verify.verdict()).as(verify.reason()).isEqualTo(VerifyReport.Verdict.READY);
            // Messages with bare CR are rewritten by Dovecot on APPEND: verification names them.
            assertThat(verify.folders().stream()
                            .mapToLong(v -> v.normalized().size())
                            .sum())
                    .isEqualTo(nonCanonical);
            System.out.printf(
                    "corpus: %d messages, %d non-canonical ones rewritten by the target, reported as normalized%n",
                    corpus.size(), nonCanonical);
        }
    }

    /**
     * Messages above {@code largeMessageBytes} (4 MiB) are fetched in pipelined 1 MiB slices, and Dovecot answers
     * pipelined FETCHes side by side (bodies of later slices before the tagged OK of an earlier one). Each one must
     * arrive whole and byte-identical: sizes on a slice boundary, one byte past it, 7 slices, and one above the
     * 16 MiB that can be held in memory (spooled to a temp file). Before the fix, a 6.4 MB message was assembled
     * from slices 0, 4 and 6 and its APPEND declared 1 MiB (bench/sync/RESULTS.md, 2026-12-06).
     */
    @Test
    void largeMessagesShouldArriveByteIdenticalWhenFetchedInSlices(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("large");
        Path inbox = Maildir.folder(servers.legacy().real().mailRoot(), user, "INBOX");
        java.util.Random random = new java.util.Random(17);
        long[] sizes = {5L << 20, (1L << 20) * 4 + 1, 6_468_529, 9_900_000, 17L << 20, 3_000, 11_000_000};
        Map<String, Long> expected = new java.util.HashMap<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] m = message(random, i, sizes[i]);
            assertThat(m).hasSize((int) sizes[i]);
            expected.put(SyncFixture.sha256(m), sizes[i]);
            Maildir.write(inbox, m, "S", Instant.parse("2002-09-04T23:26:40Z").plusSeconds(i));
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            MailboxResult r = service.syncOnce(user + "@example.test");
            assertThat(r.complete()).as(String.valueOf(r.reason())).isTrue();
            assertThat(r.copied()).isEqualTo(sizes.length);
            Map<String, Long> arrived = new java.util.HashMap<>();
            for (RawImapClient.Fetched t : fetch(servers.target(), user, "INBOX")) {
                arrived.put(SyncFixture.sha256(t.body()), (long) t.body().length);
            }
            assertThat(arrived).isEqualTo(expected);
            VerifyReport verify = service.verify(user + "@example.test");
            assertThat(verify.verdict()).as(verify.reason()).isEqualTo(VerifyReport.Verdict.READY);
        }
    }

    /** A message of exactly {@code size} bytes: headers, then CRLF-ended lines of random base64 (canonical). */
    private static byte[] message(java.util.Random random, int n, long size) {
        byte[] head = ("From: a@example.test\r\nTo: large@example.test\r\nSubject: large " + n + "\r\n"
                        + "Message-ID: <large-" + n + "@example.test>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[(int) size];
        System.arraycopy(head, 0, out, 0, head.length);
        byte[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int end = out.length - 2; // the last line ends with CRLF too
        int i = head.length;
        while (i < end) {
            for (int k = Math.min(76, end - i); k > 0; k--) {
                out[i++] = alphabet[random.nextInt(64)];
            }
            if (end - i >= 2) {
                out[i++] = '\r';
                out[i++] = '\n';
            } else if (end - i == 1) {
                out[i++] = 'A';
            }
        }
        out[end] = '\r';
        out[end + 1] = '\n';
        return out;
    }

    /** CRLF only, no bare CR, no NUL (what a server stores unchanged). */
    static boolean canonical(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0
                    || (b[i] == '\r' && (i + 1 >= b.length || b[i + 1] != '\n'))
                    || (b[i] == '\n' && (i == 0 || b[i - 1] != '\r'))) {
                return false;
            }
        }
        return true;
    }

    static List<RawImapClient.Fetched> fetch(DovecotPair.Server s, String user, String folder) throws Exception {
        try (RawImapClient c = new RawImapClient(s.host(), s.port(), user, user + "-pw")) {
            return c.fetchAll(folder);
        }
    }
}
