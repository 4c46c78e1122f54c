package io.mxcutover.sync.cli;

import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.inventory.InventoryCsv;
import io.mxcutover.sync.inventory.InventoryReport;
import io.mxcutover.sync.inventory.InventoryRun;
import io.mxcutover.sync.inventory.InventorySettings;
import io.mxcutover.sync.inventory.InventoryTable;
import io.mxcutover.sync.inventory.MailboxInventory;
import io.mxcutover.sync.inventory.PassLog;
import io.mxcutover.sync.mailbox.InvalidMailboxList;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.mailbox.MailboxCsv;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the mailboxes of a list hold, and how long their copy should take, before anything is copied:
 * <pre>
 * mxcutover inventory --legacy imaps://old:993 --csv mailboxes.csv [--new imaps://new:993]
 *                     [--json | --format table|json|csv] [--parallel 4] [--no-sample] [--state FILE]
 *                     [--master-user U --master-password P | --legacy-master-... --new-master-...]
 * </pre>
 * Without {@code --new} only legacy is read (the estimate then uses the documented default rate). Progress goes
 * to standard error ({@code inventory: 3/10 mailbox(es)}), the report to standard output. With {@code --state}
 * naming an existing store, the rate of the sync passes recorded there against the same servers is used. Exit
 * 0 when every mailbox was listed, 1 when one was not (its login failed, ...), 2 on a usage error, 65 when the
 * mailbox list has problems.
 */
public final class InventoryCli {
    private InventoryCli() {}

    /**
     * {@code json} renders the report as JSON (the appliance's, so the CLI and the API print the same);
     * {@code opener} opens an existing state store for its pass log.
     */
    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            SyncCli.StateOpener opener,
            Function<InventoryReport, String> json) {
        Map<String, String> opts = new HashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") || a.equals("--no-sample")) {
                flags.add(a);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else if (!a.equals("inventory")) { // "inventory" is the subcommand's own name
                err.println("inventory: unexpected argument '" + a + "'");
                return usage(err);
            }
        }
        String format = flags.contains("--json") ? "json" : opts.getOrDefault("--format", "table");
        if (!opts.containsKey("--legacy")
                || !opts.containsKey("--csv")
                || !List.of("table", "json", "csv").contains(format)) {
            return usage(err);
        }
        try {
            ImapEndpoint legacy = SyncCli.master(ImapEndpoint.of(opts.get("--legacy")), opts, "--legacy-");
            Optional<ImapEndpoint> fresh = opts.containsKey("--new")
                    ? Optional.of(SyncCli.master(ImapEndpoint.of(opts.get("--new")), opts, "--new-"))
                    : Optional.empty();
            int parallel = SyncCli.count(opts, "--parallel", 4, 256, "mailboxes listed at the same time");
            InventorySettings settings = new InventorySettings(
                    legacy, fresh, FolderRules.ALL, ImapSettings.defaults(), parallel, !flags.contains("--no-sample"));
            Path csv = Path.of(opts.get("--csv"));
            List<MailboxAccount> accounts;
            try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                accounts = MailboxCsv.parse(r);
            } catch (InvalidMailboxList e) {
                e.problems()
                        .forEach(p -> err.println(
                                csv + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.what() + "; " + p.fix()));
                err.println("inventory: " + e.problems().size() + " problem(s) in " + csv + "; nothing was read");
                return SyncCli.EXIT_BAD_LIST;
            } catch (java.nio.file.NoSuchFileException e) {
                err.println("inventory: mailbox list " + csv + " does not exist");
                return SyncCli.EXIT_BAD_LIST;
            }
            Optional<PassLog> passes = Optional.empty();
            if (opts.containsKey("--state")) {
                Path state = Path.of(opts.get("--state"));
                if (!Files.exists(state)) {
                    err.println("inventory: state store " + state + " does not exist (it is only read, for the rate of"
                            + " the sync passes recorded there)");
                    return 2;
                }
                passes = Optional.of(new PassLog(opener.open(state)));
            }
            InventoryReport report = new InventoryRun(settings, Clock.systemUTC(), passes)
                    .run(accounts, (done, total) -> err.printf("inventory: %d/%d mailbox(es)%n", done, total));
            switch (format) {
                case "json" -> out.println(json.apply(report));
                case "csv" -> {
                    OutputStreamWriter w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    InventoryCsv.write(report, w);
                    w.flush();
                }
                default -> InventoryTable.print(report, out);
            }
            return report.mailboxes().stream().allMatch(m -> m.outcome() == MailboxInventory.Outcome.LISTED) ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println("inventory: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("inventory: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("inventory: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println(
                "usage: mxcutover inventory --legacy imap://host:port --csv mailboxes.csv [--new imap://host:port]");
        err.println("         [--json | --format table|json|csv] [--parallel N] [--no-sample] [--state FILE]");
        err.println(
                "         [--master-user U --master-password P | --legacy-master-user U --legacy-master-password P");
        err.println("          --new-master-user U --new-master-password P]");
        err.println("  reads legacy only (LIST, STATUS, one metadata FETCH per folder); with --new also checks the");
        err.println(
                "  folder names and APPENDLIMIT there and times a short sample copy into a scratch folder (deleted)");
        err.println("  exit: 0 every mailbox listed, 1 not all, 2 usage, 65 the mailbox list has problems");
        return 2;
    }
}
