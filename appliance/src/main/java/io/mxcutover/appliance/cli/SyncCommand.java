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
    private static final List<String> REPEATED = List.of("include", "exclude", "rename");
    private static final List<String> FLAGS = List.of("dry-run", "verify", "no-multiappend");
    private static final List<String> REQUIRED = List.of("legacy", "new", "csv");
    /** argparse's defaults below, for {@link #direct}. */
    private static final java.util.Map<String, String> DEFAULTS =
            java.util.Map.of("state", "var/state/mxcutover.db", "key-file", "var/state/sync.key", "parallel", "4");

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
        subparser.addArgument("--state").setDefault(DEFAULTS.get("state")).help("the state store file");
        subparser
                .addArgument("--key-file")
                .setDefault(DEFAULTS.get("key-file"))
                .help("AES key sealing stored passwords");
        subparser
                .addArgument("--parallel")
                .setDefault(DEFAULTS.get("parallel"))
                .help("mailboxes copied at the same time");
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
        exit.accept(run(cliArgs(ns), out, err));
    }

    /** Runs {@link SyncCli} with {@code cliArgs} on the appliance's store; returns the exit code. */
    public static int run(List<String> cliArgs, PrintStream out, PrintStream err) {
        return SyncCli.run(
                cliArgs.toArray(String[]::new),
                out,
                err,
                path -> Store.open(path).dataSource());
    }

    /** The arguments {@link SyncCli} gets for what argparse parsed (its defaults included). */
    static List<String> cliArgs(Namespace ns) {
        List<String> args = new ArrayList<>();
        for (String name : VALUED) {
            Object v = ns.get(name.replace('-', '_'));
            if (v != null) {
                args.add("--" + name);
                args.add(v.toString());
            }
        }
        for (String name : REPEATED) {
            List<Object> values = ns.getList(name);
            if (values != null) {
                for (Object v : values) {
                    args.add("--" + name);
                    args.add(v.toString());
                }
            }
        }
        for (String flag : FLAGS) {
            if (Boolean.TRUE.equals(ns.getBoolean(flag.replace('-', '_')))) {
                args.add("--" + flag);
            }
        }
        return args;
    }

    /**
     * The arguments {@link SyncCli} gets for the command line {@code args} (after {@code sync}), worked out without
     * Dropwizard: the same list {@link #cliArgs} makes from argparse's parse, defaults included. Empty when the line
     * is anything but plain ({@code --help}, an unknown or repeated option, {@code --name=value}, a missing value or
     * a required option, a value that starts with {@code -}): argparse then answers it as before.
     *
     * <p>Why: {@code ./mxcutover sync} is a one-shot run on a cold JVM, and Dropwizard's start (Jackson, Hibernate
     * Validator, metrics, JMX: ~2,000 classes) cost ~0.35 s of a 1.5 s re-run with nothing new.
     */
    public static java.util.Optional<List<String>> direct(List<String> args) {
        java.util.Map<String, String> valued = new java.util.HashMap<>(DEFAULTS);
        java.util.Set<String> given = new java.util.HashSet<>();
        java.util.Map<String, List<String>> repeated = new java.util.HashMap<>();
        java.util.Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                return java.util.Optional.empty();
            }
            String name = a.substring(2);
            if (FLAGS.contains(name)) {
                flags.add(name);
            } else if (VALUED.contains(name) || REPEATED.contains(name)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                    return java.util.Optional.empty();
                }
                String value = args.get(++i);
                if (REPEATED.contains(name)) {
                    repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else if (!given.add(name)) {
                    return java.util.Optional.empty();
                } else {
                    valued.put(name, value);
                }
            } else {
                return java.util.Optional.empty();
            }
        }
        if (!given.containsAll(REQUIRED)) {
            return java.util.Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (String name : VALUED) {
            if (valued.containsKey(name)) {
                out.add("--" + name);
                out.add(valued.get(name));
            }
        }
        for (String name : REPEATED) {
            for (String v : repeated.getOrDefault(name, List.of())) {
                out.add("--" + name);
                out.add(v);
            }
        }
        for (String flag : FLAGS) {
            if (flags.contains(flag)) {
                out.add("--" + flag);
            }
        }
        return java.util.Optional.of(out);
    }
}
