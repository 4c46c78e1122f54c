package io.mxcutover.appliance.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.jackson.Jackson;
import io.mxcutover.appliance.inventory.InventoryJson;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.sync.cli.InventoryCli;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover inventory --legacy imaps://host --csv mailboxes.csv [--new URL] [--json]}: what the mailboxes
 * hold and how long their copy should take, nothing copied (see {@link InventoryCli}). The JSON is the API's.
 */
public final class InventoryCommand extends Command {
    private static final List<String> VALUED = List.of(
            "legacy",
            "new",
            "csv",
            "format",
            "master-user",
            "master-password",
            "legacy-master-user",
            "legacy-master-password",
            "new-master-user",
            "new-master-password",
            "state",
            "parallel");

    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;

    public InventoryCommand() {
        this(System.out, System.err, System::exit);
    }

    public InventoryCommand(PrintStream out, PrintStream err, IntConsumer exit) {
        super("inventory", "Count what the mailboxes hold on legacy and estimate their copy; nothing is copied");
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
        subparser
                .addArgument("--csv")
                .required(true)
                .metavar("FILE")
                .help("the mailbox list: address,legacy_login,legacy_password,new_login,new_password");
        subparser
                .addArgument("--new")
                .metavar("URL")
                .help("the new server: folders it refuses or renames, APPENDLIMIT, a timed sample copy");
        subparser.addArgument("--json").action(Arguments.storeTrue()).help("print the report as JSON (the API's)");
        subparser.addArgument("--format").choices("table", "json", "csv").help("table (default), json or csv");
        subparser
                .addArgument("--parallel")
                .setDefault("4")
                .help("mailboxes at a time, for the inventory and the estimate");
        subparser
                .addArgument("--no-sample")
                .action(Arguments.storeTrue())
                .help("no sample copy: without a measured rate the estimate uses the documented default");
        subparser
                .addArgument("--state")
                .metavar("FILE")
                .help("an existing store whose sync passes give this appliance's own rate");
        subparser.addArgument("--master-user").help("master user on both servers (SASL PLAIN authorization id)");
        subparser.addArgument("--master-password").help("its password (env:NAME reads it from the environment)");
        subparser.addArgument("--legacy-master-user");
        subparser.addArgument("--legacy-master-password");
        subparser.addArgument("--new-master-user");
        subparser.addArgument("--new-master-password");
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
        for (String flag : List.of("json", "no-sample")) {
            if (Boolean.TRUE.equals(ns.getBoolean(flag.replace('-', '_')))) {
                args.add("--" + flag);
            }
        }
        ObjectMapper json = Jackson.newObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        exit.accept(InventoryCli.run(
                args.toArray(String[]::new), out, err, path -> Store.open(path).dataSource(), report -> {
                    try {
                        return json.writeValueAsString(InventoryJson.of(report, json));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("cannot write the inventory as JSON", e);
                    }
                }));
    }
}
