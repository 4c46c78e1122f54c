package io.mxcutover.appliance.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.sync.cli.ImapsyncCli;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover imapsync --host1 H --user1 U --passfile1 F --host2 ...}: an admin's imapsync command line,
 * run as the one-shot copy of one mailbox ({@link ImapsyncCli}; options and exit codes in
 * docs/reference/imapsync.md). imapsync's options are not argparse's ({@code -ssl1}, {@code --opt=value}, any
 * option may be refused with its reason), so {@link #handOver} gets the raw arguments: {@code ApplianceApplication
 * .main} routes {@code imapsync} there before Dropwizard parses anything; this command is registered for the
 * help listing. The state is the appliance's store file (var/state/mxcutover.db unless {@code --state}).
 */
public final class ImapsyncCommand extends Command {
    static final Path DEFAULT_STATE = Path.of("var/state/mxcutover.db");

    public ImapsyncCommand() {
        super("imapsync", "Run an imapsync command line (--host1 ... --host2 ...) as a one-shot copy of one mailbox");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser
                .addArgument("options")
                .nargs("*")
                .help("imapsync's options (--host1 --user1 --passfile1 --host2 ... --automap --exclude ...);"
                        + " see docs/reference/imapsync.md");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        // Reached only when main did not route the arguments (e.g. an embedding that calls Dropwizard directly).
        List<String> options = new ArrayList<>(ns.<String>getList("options"));
        System.exit(handOver(options, System.getenv(), System.out, System.err));
    }

    /** Runs imapsync's {@code args} (without the subcommand's name) and returns the exit code. */
    public static int handOver(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ImapsyncCli.run(args, env, out, err, path -> Store.open(path).dataSource(), DEFAULT_STATE);
    }
}
