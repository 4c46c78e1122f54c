package io.mxcutover.sync.cli;

import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.engine.FolderResult;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.mailbox.InvalidMailboxList;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.mailbox.MailboxCsv;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.verify.FolderVerdict;
import io.mxcutover.sync.verify.VerifyReport;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The one-shot copy an imapsync user expects:
 * <pre>
 * mxcutover sync --legacy imap://old:143 --new imaps://new:993 --csv mailboxes.csv
 *               [--master-user U --master-password P]            (both sides)
 *               [--legacy-master-user U --legacy-master-password P] [--new-master-user U --new-master-password P]
 *               [--state sync-state.db] [--key-file sync.key] [--parallel 4] [--dry-run] [--verify]
 *               [--no-multiappend] [--batch N] [--backup DIR] [--check-backup DIR]
 *               [--include PATTERN]... [--exclude PATTERN]... [--rename FROM=TO]...
 * </pre>
 * {@code --backup DIR} exports each legacy mailbox to {@code DIR/<address>/} (Maildir) before its first
 * copy; {@code --check-backup DIR} copies nothing and checks the new server against those backups
 * (exit 0 only when every backed-up message is there).
 * Copies once and exits 0 only when every message of every mailbox is on the target; otherwise
 * 1 with a per-mailbox summary; 2 on a usage error; 65 when the mailbox list has problems (every one
 * printed as {@code file:line: what; fix}, nothing copied). {@code --dry-run} prints the plan (folders,
 * mapping, counts to copy) and changes nothing on either server. A password argument of the form
 * {@code env:NAME} is read from the environment (keeps it out of {@code ps}).
 *
 * <p>The caller supplies the state store ({@link StateOpener}): the appliance opens its SQLite
 * file and runs the {@code db/sync} migrations.
 */
public final class SyncCli {
    /** sysexits.h EX_DATAERR: the mailbox list has problems (each printed as file:line); nothing was done. */
    public static final int EXIT_BAD_LIST = 65;

    /** Opens (creating and migrating if needed) the state store at a path. */
    @FunctionalInterface
    public interface StateOpener {
        DataSource open(Path statePath) throws Exception;
    }

    /** Repeatable options: the folder rules of the copy. */
    static final java.util.Set<String> FOLDER_OPTIONS = java.util.Set.of("--include", "--exclude", "--rename");

    private SyncCli() {}

    public static int run(String[] args, PrintStream out, PrintStream err, StateOpener opener) {
        Map<String, String> opts = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--dry-run") || a.equals("--verify") || a.equals("--no-multiappend")) {
                flags.add(a);
            } else if (FOLDER_OPTIONS.contains(a) && i + 1 < args.length) {
                repeated.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else if (!a.equals("sync")) { // "sync" is the subcommand's own name
                err.println("sync: unexpected argument '" + a + "'");
                return usage(err);
            }
        }
        if (!opts.containsKey("--legacy") || !opts.containsKey("--new") || !opts.containsKey("--csv")) {
            return usage(err);
        }
        try {
            ImapEndpoint legacy = master(ImapEndpoint.of(opts.get("--legacy")), opts, "--legacy-");
            ImapEndpoint fresh = master(ImapEndpoint.of(opts.get("--new")), opts, "--new-");
            int parallel = count(opts, "--parallel", 4, 256, "mailboxes copied at the same time");
            ImapSettings imap = ImapSettings.defaults().withMultiAppend(!flags.contains("--no-multiappend"));
            if (opts.containsKey("--batch")) {
                imap = imap.withBatch(
                        count(opts, "--batch", 200, 100_000, "messages per FETCH/APPEND batch"), imap.batchBytes());
            }
            SyncSettings settings = SyncSettings.of(legacy, fresh)
                    .withParallelMailboxes(parallel)
                    .withImap(imap)
                    .withFolderRules(folderRules(repeated));
            if (opts.containsKey("--backup")) {
                settings = settings.withBackupDir(Path.of(opts.get("--backup")));
            }
            List<MailboxAccount> accounts;
            Path csv = Path.of(opts.get("--csv"));
            try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                accounts = MailboxCsv.parse(r);
            } catch (InvalidMailboxList e) {
                // Every problem, each as file:line, so an editor jumps there; nothing was copied or stored.
                e.problems()
                        .forEach(p -> err.println(
                                csv + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.what() + "; " + p.fix()));
                err.println("sync: " + e.problems().size() + " problem(s) in " + csv + "; nothing was copied");
                return EXIT_BAD_LIST;
            } catch (java.nio.file.NoSuchFileException e) {
                err.println("sync: mailbox list " + csv + " does not exist");
                return EXIT_BAD_LIST;
            } catch (java.nio.charset.CharacterCodingException e) {
                err.println("sync: mailbox list " + csv + " is not UTF-8 text; save it as UTF-8 CSV");
                return EXIT_BAD_LIST;
            }
            Path state = Path.of(opts.getOrDefault("--state", "mxcutover-sync.db"));
            Path keyFile = Path.of(opts.getOrDefault("--key-file", state + ".key"));
            DataSource ds = opener.open(state);
            try (SyncService service =
                    new SyncService(ds, SecretBox.fromEnvOrFile(keyFile), settings, Clock.systemUTC())) {
                if (flags.contains("--dry-run")) {
                    return dryRun(service, accounts, out);
                }
                service.addMailboxes(accounts);
                if (opts.containsKey("--check-backup")) {
                    return checkBackups(service, accounts, Path.of(opts.get("--check-backup")), out);
                }
                long start = System.nanoTime();
                List<MailboxResult> results = service.syncAll();
                double seconds = (System.nanoTime() - start) / 1e9;
                int exit = summary(results, accounts.size(), seconds, out);
                if (flags.contains("--verify")) {
                    for (MailboxAccount a : accounts) {
                        VerifyReport v = service.verify(a.address(), true);
                        out.printf("verify %s: %s (%s)%n", a.address(), v.verdict(), v.reason());
                        printVerify(v, out);
                        if (v.verdict() != VerifyReport.Verdict.READY) {
                            exit = 1;
                        }
                    }
                }
                return exit;
            }
        } catch (IllegalArgumentException e) {
            err.println("sync: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("sync: " + e.getMessage());
            return 1;
        }
    }

    /** A whole-number option from 1 to {@code max}; anything else is refused naming the option and what it means. */
    static int count(Map<String, String> opts, String option, int fallback, int max, String meaning) {
        String v = opts.get(option);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(
                option + " is the number of " + meaning + ": a whole number from 1 to " + max + ", not '" + v + "'");
    }

    /**
     * {@code --include P --exclude P --rename FROM=TO} (each repeatable) as folder rules; an invalid one is an
     * {@link IllegalArgumentException} naming the flag and the value.
     */
    static FolderRules folderRules(Map<String, List<String>> repeated) {
        List<String> include = repeated.getOrDefault("--include", List.of());
        List<String> exclude = repeated.getOrDefault("--exclude", List.of());
        Map<String, String> rename = new LinkedHashMap<>();
        for (String r : repeated.getOrDefault("--rename", List.of())) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new IllegalArgumentException(
                        "--rename '" + r + "': write FROM=TO, folder paths with '/' between levels"
                                + " (e.g. --rename 'Old Stuff=Archive/Old')");
            }
            if (rename.put(r.substring(0, eq).strip(), r.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(
                        "--rename '" + r + "': folder '" + r.substring(0, eq).strip() + "' is renamed twice; keep one");
            }
        }
        for (String p : include) {
            var unused = check(() -> new FolderRules(List.of(p), List.of(), Map.of()), "--include");
        }
        for (String p : exclude) {
            var unused = check(() -> new FolderRules(List.of(), List.of(p), Map.of()), "--exclude");
        }
        rename.forEach((from, to) -> {
            var unused = check(() -> new FolderRules(List.of(), List.of(), Map.of(from, to)), "--rename");
        });
        return new FolderRules(include, exclude, rename);
    }

    private static FolderRules check(java.util.function.Supplier<FolderRules> rules, String flag) {
        try {
            return rules.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    /** The facts behind a verdict: what is missing, what the user deleted, dates not kept, folder moves. */
    public static void printVerify(VerifyReport v, PrintStream out) {
        v.missing().stream()
                .limit(20)
                .forEach(m -> out.printf(
                        "  missing %s UID %d %s %d bytes: %s%n",
                        m.folder(), m.uid(), m.messageId(), m.size(), m.why()));
        if (v.missing().size() > 20) {
            out.printf("  ... and %d more missing%n", v.missing().size() - 20);
        }
        for (FolderVerdict f : v.folders()) {
            if (f.deletedOnTarget() > 0) {
                out.printf(
                        "  deleted on new %s -> %s: %d message(s) the user deleted after their copy (not copied again)%n",
                        f.sourceFolder(), f.targetFolder(), f.deletedOnTarget());
            }
        }
        if (v.deletedOnTarget() > 0) {
            out.printf("  deleted on new, total: %d message(s)%n", v.deletedOnTarget());
        }
        v.folders().stream()
                .flatMap(f -> f.datesNotKept().stream())
                .limit(20)
                .forEach(m -> out.printf(
                        "  warning: date not kept %s UID %d %s: %s%n", m.folder(), m.uid(), m.messageId(), m.why()));
        if (v.datesNotKept() > 0) {
            out.printf(
                    "  dates not kept, total: %d message(s) (a warning: the messages are there)%n", v.datesNotKept());
        }
        printMoves(v.moves(), out);
    }

    static void printMoves(List<FolderMove> moves, PrintStream out) {
        for (FolderMove m : moves) {
            out.printf("  folder %s%n", m.describe());
        }
    }

    private static int checkBackups(SyncService service, List<MailboxAccount> accounts, Path dir, PrintStream out) {
        int exit = 0;
        for (MailboxAccount a : accounts) {
            try {
                io.mxcutover.sync.backup.BackupReport r = service.checkBackup(a.address(), dir);
                out.printf(
                        "check-backup %s: %s: %d backed up, %d on the new server, %d missing, %d differ%n",
                        a.address(),
                        r.complete()
                                ? "COMPLETE"
                                : !r.backupFinished()
                                        ? "INCOMPLETE BACKUP (it stopped before its end: only what it holds was checked;"
                                                + " run the sync with --backup again to finish it)"
                                        : "MISSING",
                        r.backedUp(),
                        r.found(),
                        r.missing().size(),
                        r.different().size());
                r.missing().stream()
                        .limit(50)
                        .forEach(m -> out.printf(
                                "  missing %s %s %s %d bytes: %s%n",
                                m.folder(),
                                m.file(),
                                m.messageId().isEmpty() ? "(no Message-ID)" : m.messageId(),
                                m.size(),
                                m.why()));
                r.different().stream()
                        .limit(50)
                        .forEach(m ->
                                out.printf("  differs %s %s %s: %s%n", m.folder(), m.file(), m.messageId(), m.why()));
                if (!r.complete()) {
                    exit = 1;
                }
            } catch (Exception e) {
                out.printf("check-backup %s: cannot check: %s%n", a.address(), e.getMessage());
                exit = 1;
            }
        }
        return exit;
    }

    static int dryRun(SyncService service, List<MailboxAccount> accounts, PrintStream out) {
        int exit = 0;
        for (MailboxAccount a : accounts) {
            MailboxResult r = service.dryRun(a);
            out.printf(
                    "%s: %s%s%n",
                    a.address(),
                    r.phase() == MailboxStatus.Phase.FAILED ? "FAILED " : "",
                    r.reason() == null ? "" : r.reason());
            for (FolderResult f : r.folders()) {
                out.printf(
                        "  %-30s -> %-30s %6d message(s), %6d to copy, %d already on target%n",
                        f.sourceFolder(), f.targetFolder(), f.sourceMessages(), f.toCopy(), f.adopted());
            }
            printMoves(r.moves(), out);
            if (r.phase() == MailboxStatus.Phase.FAILED) {
                exit = 1;
            }
        }
        out.println("dry run: nothing was changed");
        return exit;
    }

    static int summary(List<MailboxResult> results, int total, double seconds, PrintStream out) {
        long messages = 0;
        long bytes = 0;
        int synced = 0;
        for (MailboxResult r : results) {
            messages += r.copied();
            bytes += r.copiedBytes();
            if (r.complete()) {
                synced++;
            }
            out.printf(
                    "%-40s %-10s copied %d message(s), %s%s%n",
                    r.address(),
                    r.phase(),
                    r.copied(),
                    human(r.copiedBytes()),
                    r.reason() == null ? "" : " - " + r.reason());
            printMoves(r.moves(), out);
        }
        out.printf(
                Locale.ROOT,
                "total: %d mailbox(es), %d synced, %d not; %d message(s), %s in %.1f s (%.0f msgs/s, %.1f MB/s)%n",
                total,
                synced,
                total - synced,
                messages,
                human(bytes),
                seconds,
                messages / Math.max(seconds, 0.001),
                bytes / 1e6 / Math.max(seconds, 0.001));
        return synced == total && results.size() == total ? 0 : 1;
    }

    private static String human(long bytes) {
        return bytes < 1_000_000
                ? String.format(Locale.ROOT, "%.1f KB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static ImapEndpoint master(ImapEndpoint endpoint, Map<String, String> opts, String side) {
        String user = opts.getOrDefault(side + "master-user", opts.get("--master-user"));
        String password = opts.getOrDefault(side + "master-password", opts.get("--master-password"));
        if (user == null) {
            return endpoint;
        }
        if (password == null) {
            throw new IllegalArgumentException("a master user needs a master password (" + side + "master-password)");
        }
        if (password.startsWith("env:")) {
            String value = System.getenv(password.substring(4));
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + password.substring(4) + " is not set");
            }
            password = value;
        }
        return endpoint.withMaster(user, password);
    }

    private static int usage(PrintStream err) {
        err.println("usage: mxcutover sync --legacy imap://host:port --new imap://host:port --csv mailboxes.csv");
        err.println(
                "         [--master-user U --master-password P | --legacy-master-user U --legacy-master-password P");
        err.println("          --new-master-user U --new-master-password P] [--state FILE] [--key-file FILE]");
        err.println("         [--parallel N] [--batch N] [--no-multiappend] [--dry-run] [--verify]");
        err.println("         [--backup DIR] (Maildir backup of each legacy mailbox before its first copy)");
        err.println("         [--check-backup DIR] (copy nothing; list what the new server lacks compared with DIR)");
        err.println(
                "         [--include PATTERN]... [--exclude PATTERN]... [--rename FROM=TO]... (folder paths with '/',");
        err.println(
                "          '*' any text, '%' any text within one level; exclude wins; docs/reference/folder-rules.md)");
        err.println(
                "  CSV header: address,legacy_login,legacy_password,new_login,new_password (or user:pass:address lines);");
        err.println("  every address user@domain; a list with any problem is refused whole (FILE:LINE for each)");
        err.println("  exit: 0 every message copied, 1 not all, 2 usage, 65 the mailbox list has problems");
        err.println(
                "  imaps:// for TLS, imap+starttls:// to require STARTTLS; env:NAME reads a password from the environment");
        return 2;
    }
}
