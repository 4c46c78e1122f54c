package io.mxcutover.sync.cli;

import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.imap.ImapTargetStore;
import io.mxcutover.sync.imapsync.ImapsyncOptions;
import io.mxcutover.sync.imapsync.ImapsyncRequest;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.run.SyncSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code ./mxcutover imapsync --host1 ... --user1 ... --passfile1 ... --host2 ...}: an imapsync command line run
 * as mxcutover's one-shot copy of one mailbox ({@link ImapsyncOptions} reads it; docs/reference/imapsync.md maps
 * every option). Logs in on both servers first, so a refused login or an unreachable server has its own exit
 * code, then copies once (or, with {@code --dry}, prints the plan; with {@code --justfolders}, creates the folders
 * only; with {@code --justlogin}, stops after the logins).
 *
 * <p>Exit codes (imapsync's numbers where it has one): 0 every selected message is on the new server (or the
 * dry run, logins, folders went through); 2 a usage error or a refused option, nothing done; 101/102 the legacy/
 * new server cannot be reached; 161/162 the legacy/new server refused the login; 111 the copy is partial (the
 * report says what is missing; a re-run continues); 1 anything else (e.g. the state store cannot be opened).
 */
public final class ImapsyncCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONNECTION_HOST1 = 101;
    public static final int EXIT_CONNECTION_HOST2 = 102;
    public static final int EXIT_AUTHENTICATION_USER1 = 161;
    public static final int EXIT_AUTHENTICATION_USER2 = 162;
    public static final int EXIT_PARTIAL = 111;
    public static final int EXIT_OTHER = 1;

    private ImapsyncCli() {}

    public static int run(
            List<String> args,
            Map<String, String> env,
            PrintStream out,
            PrintStream err,
            SyncCli.StateOpener opener,
            Path defaultState) {
        ImapsyncRequest request;
        String address;
        ImapEndpoint legacy;
        ImapEndpoint fresh;
        MailboxAccount account;
        try {
            request = ImapsyncOptions.parse(args, env);
            String pw1 = password(request.host1(), "1");
            String pw2 = password(request.host2(), "2");
            address = request.address();
            legacy = request.host1().endpoint(pw1);
            fresh = request.host2().endpoint(pw2);
            account = new MailboxAccount(
                    address, request.host1().login(pw1), request.host2().login(pw2));
        } catch (IllegalArgumentException e) {
            err.println("imapsync: " + e.getMessage());
            err.println("imapsync: nothing was done; options: docs/reference/imapsync.md");
            return EXIT_USAGE;
        }
        request.notes().forEach(n -> out.println("note: " + n));
        out.printf(
                "imapsync: %s -> %s; mailbox %s; folders: %s%s%n",
                request.host1(), request.host2(), address, request.folders(), request.dry() ? "; dry run" : "");
        ImapSettings imap = ImapSettings.defaults();
        int login = logins(legacy, fresh, account, imap, out, err);
        if (login != EXIT_OK || request.mode() == ImapsyncRequest.Mode.JUST_LOGIN) {
            return login;
        }
        SyncSettings settings = SyncSettings.of(legacy, fresh)
                .withParallelMailboxes(1)
                .withImap(imap)
                .withFolderRules(request.folders())
                .withMessages(request.messages());
        Path state = request.state().orElse(defaultState);
        Path keyFile = request.keyFile().orElse(Path.of(state + ".key"));
        try {
            DataSource ds = opener.open(state);
            try (SyncService service =
                    new SyncService(ds, SecretBox.fromEnvOrFile(keyFile), settings, Clock.systemUTC())) {
                if (request.dry()) {
                    return SyncCli.dryRun(service, List.of(account), out) == 0 ? EXIT_OK : EXIT_PARTIAL;
                }
                service.addMailboxes(List.of(account));
                long start = System.nanoTime();
                List<MailboxResult> results = service.syncAll();
                double seconds = (System.nanoTime() - start) / 1e9;
                int exit = SyncCli.summary(results, 1, seconds, out);
                if (request.mode() == ImapsyncRequest.Mode.JUST_FOLDERS) {
                    out.println("justfolders: folders created, no message copied");
                }
                return exit == 0 ? EXIT_OK : EXIT_PARTIAL;
            }
        } catch (Exception e) {
            err.println("imapsync: " + e.getMessage());
            return EXIT_OTHER;
        }
    }

    /** Logs in on both servers (the legacy one read-only); a failure's exit code says which side and why. */
    private static int logins(
            ImapEndpoint legacy,
            ImapEndpoint fresh,
            MailboxAccount account,
            ImapSettings imap,
            PrintStream out,
            PrintStream err) {
        try (ImapSourceStore s = ImapSourceStore.open(legacy, account.source(), imap)) {
            out.println("host1: logged in as " + account.source().user());
        } catch (ImapException e) {
            err.println("imapsync: host1 " + legacy + ": " + e.getMessage());
            return e.kind() == ImapException.Kind.AUTHENTICATION ? EXIT_AUTHENTICATION_USER1 : EXIT_CONNECTION_HOST1;
        }
        try (ImapTargetStore t = ImapTargetStore.open(fresh, account.target(), imap)) {
            out.println("host2: logged in as " + account.target().user());
        } catch (ImapException e) {
            err.println("imapsync: host2 " + fresh + ": " + e.getMessage());
            return e.kind() == ImapException.Kind.AUTHENTICATION ? EXIT_AUTHENTICATION_USER2 : EXIT_CONNECTION_HOST2;
        }
        return EXIT_OK;
    }

    /** The password as given, or the first line of the password file (imapsync reads it the same way). */
    private static String password(ImapsyncRequest.Host host, String n) {
        if (host.password().isPresent()) {
            return host.password().get();
        }
        Path file = host.passfile().orElseThrow();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new IllegalArgumentException("--passfile" + n + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
