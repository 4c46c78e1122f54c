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
