package io.mxcutover.appliance.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreCopy;
import io.mxcutover.appliance.store.StoreException;
import io.mxcutover.appliance.store.StoreSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover store migrate --from sqlite:PATH --to postgresql://HOST:PORT/DB}: copies a single node's state
 * into PostgreSQL ({@link StoreCopy}), prints the rows per table, then the verification (rows and checksum per table,
 * both sides). The password comes from {@code --password-file} or {@code MXCUTOVER_STORE_PASSWORD}, never from the
 * command line. Exit 0: copied and verified; 1: the verification found a difference; 2: refused or failed (nothing
 * copied).
 */
public final class StoreCommand extends Command {
    /** The environment variable the target's password may come from. */
    public static final String PASSWORD_ENV = "MXCUTOVER_STORE_PASSWORD";

    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;
    private final Map<String, String> env;

    public StoreCommand() {
        this(System.out, System.err, System::exit, System.getenv());
    }

    public StoreCommand(PrintStream out, PrintStream err, IntConsumer exit, Map<String, String> env) {
        super("store", "Operations on the state store: migrate (copy a SQLite store into PostgreSQL)");
        this.out = out;
        this.err = err;
        this.exit = exit;
        this.env = env;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("migrate").help("migrate: copy a SQLite store into PostgreSQL");
        subparser
                .addArgument("--from")
                .required(true)
                .metavar("sqlite:PATH")
                .help("the node's SQLite store (store.path of its YAML); stop the node first");
        subparser
                .addArgument("--to")
                .required(true)
                .metavar("postgresql://HOST:PORT/DB")
                .help("the PostgreSQL database (jdbc:postgresql://... is accepted too)");
        subparser.addArgument("--user").setDefault("mxcutover").help("the PostgreSQL user (default mxcutover)");
        subparser
                .addArgument("--password-file")
                .metavar("FILE")
                .help("a file whose first line is the password (else the environment variable " + PASSWORD_ENV + ")");
        subparser
                .addArgument("--force")
                .action(Arguments.storeTrue())
                .help("delete the rows the target already holds (in the copy's transaction) instead of refusing");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        exit.accept(migrate(
                ns.getString("from"),
                ns.getString("to"),
                ns.getString("user"),
                Optional.ofNullable(ns.getString("password_file")).map(Path::of),
                Boolean.TRUE.equals(ns.getBoolean("force"))));
    }

    /** The command without its argument parsing: returns the exit code. */
    public int migrate(String from, String to, String user, Optional<Path> passwordFile, boolean force) {
        Path sqlite;
        String url;
        String password;
        try {
            sqlite = sqlitePath(from);
            url = postgresqlUrl(to);
            password = password(passwordFile);
        } catch (IllegalArgumentException e) {
            err.println("store migrate: " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(sqlite)) {
            err.println("store migrate: no SQLite store at " + sqlite.toAbsolutePath()
                    + " (the node's store.path; default var/mxcutover.db)");
            return 2;
        }
        out.println("store migrate: " + sqlite.toAbsolutePath() + " -> " + url + " as " + user
                + " (the node must be stopped: rows it writes meanwhile are not copied)");
        try (Store source = Store.open(sqlite);
                Store target = Store.open(StoreSettings.postgresql(sqlite, url, user, password))) {
            List<StoreCopy.TableCount> counts = StoreCopy.copy(source, target, force);
            out.println("copied (one transaction):");
            long total = 0;
            for (StoreCopy.TableCount c : counts) {
                out.printf(Locale.ROOT, "  %-28s %10d rows%n", c.table(), c.rows());
                total += c.rows();
            }
            out.printf(Locale.ROOT, "  %-28s %10d rows%n", "total", total);
            List<StoreCopy.TableCheck> checks = StoreCopy.verify(source, target);
            out.println("verification (rows and checksum of the rows, source / target):");
            int differ = 0;
            for (StoreCopy.TableCheck c : checks) {
                out.printf(
                        Locale.ROOT,
                        "  %-28s %10d / %-10d %s %s%n",
                        c.table(),
                        c.sourceRows(),
                        c.targetRows(),
                        c.sourceSum(),
                        c.matches() ? "ok" : "DIFFERS (target " + c.targetSum() + ")");
                differ += c.matches() ? 0 : 1;
            }
            if (differ > 0) {
                err.println("store migrate: " + differ + " table(s) differ after the copy; do not start nodes on " + url
                        + " until this is understood");
                return 1;
            }
            out.println("store migrate: done, " + checks.size() + " tables verified. Next: point every node's"
                    + " store.url at " + url + " (docs/scale-out.md)");
            return 0;
        } catch (StoreCopy.Refused e) {
            err.println("store migrate: refused: " + e.getMessage());
            return 2;
        } catch (StoreException | IOException | SQLException e) {
            err.println("store migrate: failed, nothing copied: " + e.getMessage());
            return 2;
        }
    }

    static Path sqlitePath(String from) {
        String f = from.strip();
        for (String prefix : List.of("jdbc:sqlite:", "sqlite:")) {
            if (f.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return Path.of(f.substring(prefix.length()));
            }
        }
        throw new IllegalArgumentException("--from " + from + " is not sqlite:PATH");
    }

    static String postgresqlUrl(String to) {
        String t = to.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql://")) {
            return t;
        }
        if (lower.startsWith("postgresql://")) {
            return "jdbc:" + t;
        }
        throw new IllegalArgumentException("--to " + to + " is not postgresql://HOST:PORT/DATABASE");
    }

    private String password(Optional<Path> file) {
        if (file.isPresent()) {
            try {
                List<String> lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
                return lines.isEmpty() ? "" : lines.get(0).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --password-file " + file.get() + ": " + e.getMessage());
            }
        }
        String p = env.get(PASSWORD_ENV);
        if (p == null) {
            throw new IllegalArgumentException(
                    "no password: give --password-file FILE or set " + PASSWORD_ENV + " (never on the command line)");
        }
        return p;
    }
}
