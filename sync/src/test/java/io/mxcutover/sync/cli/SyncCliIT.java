package io.mxcutover.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.testing.CliMain;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mxcutover sync} as a separate process with a 64 MB heap: dry run changes nothing,
 * a real run copies a 30 MB message byte-exact (streamed, not buffered), exit codes follow
 * "0 only when every message is on the target", master users per side (SASL PLAIN authzid).
 */
@ExtendWith(DovecotPair.class)
public class SyncCliIT {
    @Test
    void cliShouldCopyThirtyMegabyteMessageWithBoundedHeapAndExitZeroWhenComplete(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("cli");
        // Over MessageMemory's 16 MiB, and the session's first message (its sizes not proved exact yet): a temp file.
        byte[] big = bigMessage(30 * 1024 * 1024);
        // Over the 4 MiB batch limit, after a message whose bytes matched its RFC822.SIZE: streamed from FETCH to
        // APPEND, two 1 MiB slices in between.
        byte[] medium = bigMessage(5 * 1024 * 1024);
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", "\\Seen", "09-Sep-2001 01:46:40 +0000", big);
            c.append("INBOX", null, "10-Sep-2001 01:46:40 +0000", medium);
            c.append("INBOX", null, null, SyncFixture.message("Subject: small\nMessage-ID: <s@x>", "small\n"));
        }
        Path csv = tmp.resolve("mailboxes.csv");
        // Master user on the legacy side (password column ignored), per-user password on the new side.
        Files.writeString(
                csv,
                "address,legacy_login,legacy_password,new_login,new_password\n" + user + "@example.test," + user + ",,"
                        + user + "," + user + "-pw\n");
        List<String> common = List.of(
                "--legacy",
                servers.legacy().uri(),
                "--new",
                servers.target().uri(),
                "--csv",
                csv.toString(),
                "--state",
                tmp.resolve("state.db").toString(),
                "--legacy-master-user",
                "master",
                "--legacy-master-password",
                "env:LEGACY_MASTER_PW");

        Result dry = cli(tmp, common, "--dry-run");
        assertThat(dry.exit()).as(dry.output()).isZero();
        assertThat(dry.output()).contains("INBOX", "3 to copy", "nothing was changed");
        assertThat(fetch(servers.target(), user, "INBOX")).isEmpty();

        Result run = cli(tmp, common, "--verify");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SYNCED", "verify " + user + "@example.test: READY");
        List<Fetched> target = fetch(servers.target(), user, "INBOX");
        assertThat(target)
                .extracting(f -> SyncFixture.sha256(f.body()))
                .contains(SyncFixture.sha256(big), SyncFixture.sha256(medium));

        Result rerun = cli(tmp, common);
        assertThat(rerun.exit()).isZero();
        assertThat(rerun.output()).contains("copied 0 message(s)");
    }

    @Test
    void cliShouldExitNonZeroWithSummaryWhenAMailboxFails(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("clibad");
        Path csv = tmp.resolve("m.txt");
        Files.writeString(csv, user + ":not-the-password:" + user + "@example.test\n");
        Result r = cli(
                tmp,
                List.of(
                        "--legacy",
                        servers.legacy().uri(),
                        "--new",
                        servers.target().uri(),
                        "--csv",
                        csv.toString(),
                        "--state",
                        tmp.resolve("s.db").toString()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output())
                .contains(user + "@example.test", "FAILED", "login refused")
                .doesNotContain("not-the-password");
    }

    public record Result(int exit, String output) {}

    public static Result cli(Path tmp, List<String> args, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                CliMain.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LEGACY_MASTER_PW", "master-pw");
        Path log = Files.createTempFile(tmp, "cli", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("sync CLI finished").isTrue();
        return new Result(p.exitValue(), Files.readString(log));
    }

    static List<Fetched> fetch(DovecotPair.Server s, String user, String folder) throws Exception {
        try (RawImapClient c = new RawImapClient(s.host(), s.port(), user, user + "-pw")) {
            return c.fetchAll(folder);
        }
    }

    static byte[] bigMessage(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        out.writeBytes(("From: big@example.test\r\nSubject: 30 MB attachment\r\nMessage-ID: <big@x>\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        long x = 42;
        StringBuilder line = new StringBuilder();
        while (out.size() < size) {
            line.setLength(0);
            for (int i = 0; i < 76; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                line.append(alphabet.charAt((int) ((x >>> 33) & 63)));
            }
            out.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
