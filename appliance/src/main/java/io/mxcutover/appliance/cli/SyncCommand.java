package io.mxcutover.appliance.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.sync.cli.SyncCli;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover sync --legacy imap://host:port --new imap://host:port --csv mailboxes.csv
 * [--master-user U --master-password P] [--state FILE] [--dry-run]}: copies once and exits 0 only
 * when every message is on the target (see {@link SyncCli}). The state is an appliance store file
 * (SQLite, migrated like the server's), so a later {@code server} run continues from it.
 */
public final class SyncCommand extends Command {
    private static final List<String> VALUED = List.of(
            "legacy",
            "new",
            "csv",
            "master-user",
            "master-password",
            "legacy-master-user",
            "legacy-master-password",
            "new-master-user",
            "new-master-password",
            "state",
            "key-file",
            "parallel",
            "batch",
            "backup",
            "check-backup");

    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;

    public SyncCommand() {
        this(System.out, System.err, System::exit);
    }

    public SyncCommand(PrintStream out, PrintStream err, IntConsumer exit) {
        super("sync", "Copy mailboxes legacy -> new once (byte-exact, resumable); exit 0 only when all are copied");
        this.out = out;
        this.err = err;
        this.exit = exit;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser
                .addArgument("--legacy")
                .required(true)
                .metavar("URL")
                .help("imap://host:port, imap+starttls://, imaps://");
        subparser.addArgument("--new").required(true).metavar("URL").help("the new server, same forms");
        subparser
                .addArgument("--csv")
                .required(true)
                .metavar("FILE")
                .help(
                        "address,legacy_login,legacy_password,new_login,new_password (header row) or user:pass:alias lines");
        subparser.addArgument("--master-user").help("master user on both servers (SASL PLAIN authorization id)");
        subparser.addArgument("--master-password").help("its password (env:NAME reads it from the environment)");
        subparser.addArgument("--legacy-master-user");
        subparser.addArgument("--legacy-master-password");
        subparser.addArgument("--new-master-user");
        subparser.addArgument("--new-master-password");
        subparser.addArgument("--state").setDefault("var/state/mxcutover.db").help("the state store file");
        subparser.addArgument("--key-file").setDefault("var/state/sync.key").help("AES key sealing stored passwords");
        subparser.addArgument("--parallel").setDefault("4").help("mailboxes copied at the same time");
        subparser.addArgument("--batch").help("messages per FETCH/APPEND batch (default 200)");
        subparser.addArgument("--dry-run").action(Arguments.storeTrue()).help("print the plan, change nothing");
        subparser.addArgument("--verify").action(Arguments.storeTrue()).help("hash-compare every copy afterwards");
        subparser.addArgument("--no-multiappend").action(Arguments.storeTrue()).help("one APPEND per message");
        subparser
                .addArgument("--backup")
                .metavar("DIR")
                .help("back up each legacy mailbox to DIR/<address>/ (Maildir) before its first copy");
        subparser
                .addArgument("--include")
                .action(Arguments.append())
                .metavar("PATTERN")
                .help("copy only folders matching (repeatable; folder paths with '/', '*' any text, '%' one level)");
        subparser
                .addArgument("--exclude")
                .action(Arguments.append())
                .metavar("PATTERN")
                .help("do not copy folders matching (repeatable; wins over --include)");
        subparser
                .addArgument("--rename")
                .action(Arguments.append())
                .metavar("FROM=TO")
                .help("copy folder FROM into TO on the new server (repeatable; e.g. 'Old Stuff=Archive/Old')");
        subparser
                .addArgument("--check-backup")
                .metavar("DIR")
                .help("copy nothing: list what the new server lacks compared with the backups in DIR");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        List<String> args = new ArrayList<>();
        for (String name : VALUED) {
            Object v = ns.get(name.replace('-', '_'));
            if (v != null) {
                args.add("--" + name);
                args.add(v.toString());
            }
        }
        for (String name : List.of("include", "exclude", "rename")) {
            List<Object> values = ns.getList(name);
            if (values != null) {
                for (Object v : values) {
                    args.add("--" + name);
                    args.add(v.toString());
                }
            }
        }
        for (String flag : List.of("dry-run", "verify", "no-multiappend")) {
            if (Boolean.TRUE.equals(ns.getBoolean(flag.replace('-', '_')))) {
                args.add("--" + flag);
            }
        }
        exit.accept(SyncCli.run(
                args.toArray(String[]::new), out, err, path -> Store.open(path).dataSource()));
    }
}
