package io.mxcutover.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typical imapsync command line against the real Dovecot pair (legacy '.'/"INBOX.", new '/'), compared with the
 * same copy done by {@code ./mxcutover sync} with folder flags: same folders, same bytes. Also: a refused login
 * has imapsync's exit code, --dry and --justfolders copy nothing, --delete2 is refused before anything is done.
 */
@ExtendWith(DovecotPair.class)
class ImapsyncCliIT {
    static final List<String> LEGACY_FOLDERS =
            List.of("INBOX", "INBOX.Junk", "INBOX.Archive", "INBOX.Archive.2019", "INBOX.Projects");

    @Test
    void imapsyncCommandLineShouldCopyWhatTheSameSyncCopies(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String viaImapsync = seeded(servers, "isync");
        String viaSync = seeded(servers, "ssync");
        Path passfile = tmp.resolve("secret1");
        Files.writeString(passfile, viaImapsync + "-pw\n");

        List<String> imapsync = new ArrayList<>(List.of(
                "--host1",
                servers.legacy().host(),
                "--port1",
                String.valueOf(servers.legacy().port()),
                "--user1",
                viaImapsync,
                "--passfile1",
                passfile.toString(),
                "--sslargs1",
                "SSL_verify_mode=0",
                "--host2",
                servers.target().host(),
                "--port2",
                String.valueOf(servers.target().port()),
                "--user2",
                viaImapsync,
                "--password2",
                viaImapsync + "-pw",
                "--sslargs2",
                "SSL_verify_mode=0",
                "--automap",
                "--exclude",
                "^INBOX\\.Junk",
                "--regextrans2",
                "s/^Archive/Old/",
                "--syncinternaldates",
                "--state",
                tmp.resolve("imapsync.db").toString()));

        Run dry = imapsync(imapsync, "--dry");
        assertThat(dry.exit()).as(dry.text()).isZero();
        assertThat(dry.text()).contains("INBOX.Archive.2019", "Old/2019", "nothing was changed");
        // The new Dovecot creates its special-use folders itself; the dry run added nothing to them.
        assertThat(folders(servers.target(), viaImapsync).values())
                .allSatisfy(h -> assertThat(h).isEmpty());

        Run run = imapsync(imapsync);
        assertThat(run.exit()).as(run.text()).isZero();
        assertThat(run.text()).contains("note: --syncinternaldates", "SYNCED");

        Path csv = tmp.resolve("mailboxes.csv");
        Files.writeString(csv, viaSync + ":" + viaSync + "-pw:" + viaSync + "@example.test\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int syncExit = SyncCli.run(
                new String[] {
                    "--legacy",
                    servers.legacy().uri(),
                    "--new",
                    servers.target().uri(),
                    "--csv",
                    csv.toString(),
                    "--state",
                    tmp.resolve("sync.db").toString(),
                    "--exclude",
                    "Junk",
                    "--exclude",
                    "Junk/*",
                    "--rename",
                    "Archive=Old",
                    "--rename",
                    "Archive/2019=Old/2019"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                TestState::open);
        assertThat(syncExit).as(out.toString(StandardCharsets.UTF_8)).isZero();

        Map<String, List<String>> byImapsync = folders(servers.target(), viaImapsync);
        assertThat(byImapsync.entrySet().stream()
                        .filter(e -> !e.getValue().isEmpty())
                        .map(Map.Entry::getKey))
                .containsExactly("INBOX", "Old", "Old/2019", "Projects");
        assertThat(byImapsync).doesNotContainKeys("Archive/2019", "Junk/Old");
        assertThat(byImapsync.get("Junk")).isEmpty();
        assertThat(byImapsync.get("Projects")).hasSize(2);
        assertThat(byImapsync).isEqualTo(folders(servers.target(), viaSync));
        // The bytes on the new server are the legacy server's.
        assertThat(byImapsync.get("Old/2019"))
                .isEqualTo(folders(servers.legacy(), viaImapsync).get("INBOX.Archive.2019"));

        Run again = imapsync(imapsync);
        assertThat(again.exit()).isZero();
        assertThat(again.text()).contains("copied 0 message(s)");
    }

    @Test
    void imapsyncShouldExitWithImapsyncCodesAndRefuseDeletion(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = seeded(servers, "icodes");
        List<String> base = List.of(
                "--host1",
                servers.legacy().host(),
                "--port1",
                String.valueOf(servers.legacy().port()),
                "--user1",
                user,
                "--password1",
                user + "-pw",
                "--sslargs1",
                "SSL_verify_mode=0",
                "--host2",
                servers.target().host(),
                "--port2",
                String.valueOf(servers.target().port()),
                "--user2",
                user,
                "--sslargs2",
                "SSL_verify_mode=0",
                "--state",
                tmp.resolve("s.db").toString());

        Run wrong = imapsync(base, "--password2", "not-the-password");
        assertThat(wrong.exit()).as(wrong.text()).isEqualTo(ImapsyncCli.EXIT_AUTHENTICATION_USER2);
        assertThat(wrong.text()).contains("host2").doesNotContain("not-the-password");

        Run delete = imapsync(base, "--password2", user + "-pw", "--delete2");
        assertThat(delete.exit()).isEqualTo(ImapsyncCli.EXIT_USAGE);
        assertThat(delete.text()).contains("--delete2 is not supported", "read-only", "nothing was done");

        Run login = imapsync(base, "--password2", user + "-pw", "--justlogin");
        assertThat(login.exit()).as(login.text()).isZero();
        assertThat(login.text()).contains("host1: logged in", "host2: logged in");

        Run justFolders = imapsync(base, "--password2", user + "-pw", "--justfolders", "--automap");
        assertThat(justFolders.exit()).as(justFolders.text()).isZero();
        Map<String, List<String>> created = folders(servers.target(), user);
        assertThat(created).containsKeys("Junk", "Archive", "Archive/2019", "Projects");
        assertThat(created.values()).allSatisfy(hashes -> assertThat(hashes).isEmpty());

        Run copy = imapsync(base, "--password2", user + "-pw", "--automap", "--folder", "INBOX.Projects");
        assertThat(copy.exit()).as(copy.text()).isZero();
        assertThat(folders(servers.target(), user).get("Projects")).hasSize(2);
        assertThat(folders(servers.target(), user).get("Archive")).isEmpty();
    }

    record Run(int exit, String text) {}

    static Run imapsync(List<String> args, String... extra) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = ImapsyncCli.run(all, Map.of(), ps, ps, TestState::open, Path.of("unused.db"));
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** A new user whose legacy mailbox has two messages in each of {@link #LEGACY_FOLDERS}. */
    static String seeded(DovecotPair.Servers servers, String hint) throws Exception {
        String user = servers.newUser(hint);
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (String f : LEGACY_FOLDERS) {
                if (!f.equals("INBOX")) {
                    c.create(f);
                }
                for (int i = 1; i <= 2; i++) {
                    c.append(
                            f,
                            i == 1 ? "\\Seen" : null,
                            "0" + i + "-Mar-2020 10:00:00 +0000",
                            SyncFixture.message(
                                    "Subject: " + f + " " + i + "\nMessage-ID: <" + f + "." + i + "@x>",
                                    "body of " + f + " " + i + "\n"));
                }
            }
        }
        return user;
    }

    private static final Pattern LIST =
            Pattern.compile("\\* LIST \\(([^)]*)\\) (?:\"[^\"]*\"|NIL) \"?([^\"\\r\\n]*)\"?");

    /** Folder name to the sorted SHA-256 of its messages' bytes. */
    static Map<String, List<String>> folders(DovecotPair.Server server, String user) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (RawImapClient c = new RawImapClient(server.host(), server.port(), user, user + "-pw")) {
            Matcher m = LIST.matcher(c.command("LIST \"\" \"*\""));
            List<String> names = new ArrayList<>();
            while (m.find()) {
                if (!m.group(1).toLowerCase(java.util.Locale.ROOT).contains("\\noselect")) {
                    names.add(m.group(2));
                }
            }
            for (String name : names) {
                out.put(
                        name,
                        c.fetchAll(name).stream()
                                .map(f -> SyncFixture.sha256(f.body()))
                                .sorted()
                                .toList());
            }
        }
        return out;
    }
}
