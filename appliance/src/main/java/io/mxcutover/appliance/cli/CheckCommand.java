package io.mxcutover.appliance.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.auth.AdminBinding;
import io.mxcutover.appliance.auth.PasswordAuthenticator;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.plan.PlanProblem;
import io.mxcutover.appliance.plan.PlanReader;
import java.io.FileReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code ./mxcutover check conf/mxcutover.yml}: validates the service YAML and the migration plan it names,
 * prints every problem (file, line/key, fix) and exits 78 when there is any, 0 otherwise. Starts nothing.
 */
public final class CheckCommand extends ConfiguredCommand<ApplianceConfiguration> {
    public CheckCommand() {
        super("check", "Validate the service YAML and the migration plan; list every problem");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        try {
            super.run(bootstrap, namespace);
        } catch (ConfigurationException | io.dropwizard.configuration.UndefinedEnvironmentVariableException e) {
            System.err.println(
                    namespace.getString("file") + ": " + e.getMessage().strip());
            int count = 1;
            // The YAML is broken, but its plan may still be found and checked, so that one run lists all.
            Optional<Path> plan = planPathOf(namespace.getString("file"));
            if (plan.isPresent()) count += report(PlanReader.read(plan.get()).problems());
            throw new ConfigurationProblems(count);
        }
    }

    @Override
    protected void run(Bootstrap<ApplianceConfiguration> bootstrap, Namespace namespace, ApplianceConfiguration config)
            throws Exception {
        String file = namespace.getString("file");
        List<PlanProblem> problems = new ArrayList<>();
        if (config.users.stream().noneMatch(u -> u.role == Role.ADMIN)) {
            problems.add(new PlanProblem(
                    Path.of(file),
                    0,
                    "users",
                    "no user has role ADMIN, so nobody can cut over",
                    "add a user with 'role: ADMIN' and a hash from ./mxcutover hash-password"));
        }
        if (config.relay.enabled) {
            config.relay.problems().forEach(m -> problems.add(new PlanProblem(Path.of(file), 0, "", m, "")));
        }
        config.hooks.problems().forEach(m -> problems.add(new PlanProblem(Path.of(file), 0, "hooks", m, "")));
        PlanReader.Result plan = PlanReader.read(Path.of(config.plan), java.util.Set.of(config.relay.hostname));
        problems.addAll(plan.problems());
        plan.plan()
                .ifPresent(p -> io.mxcutover.appliance.sync.SyncManaged.masterUserProblems(config.sync, p)
                        .forEach(m -> problems.add(new PlanProblem(Path.of(file), 0, "sync", m, ""))));
        warnings(file, config).forEach(w -> System.err.println("warning: " + w));
        int count = report(problems);
        if (count > 0) throw new ConfigurationProblems(count);
        System.out.println("OK: " + file + " and plan " + config.plan + " (domains "
                + plan.plan().orElseThrow().domains().stream()
                        .map(d -> d.name() + " " + d.flow() + ", window from MX " + String.join("+", d.windowMx()))
                        .toList()
                + ")");
    }

    /** What is allowed but weakens the appliance: printed, not counted as problems (exit 0). */
    static List<String> warnings(String file, ApplianceConfiguration config) {
        List<String> out = new ArrayList<>();
        for (String address : AdminBinding.exposed(config.getServerFactory())) {
            out.add(file + ": server.adminConnectors: the admin port listens on " + address + ", beyond this machine;"
                    + " it asks for credentials (operator reads, admin tasks), but unless monitoring elsewhere needs it,"
                    + " set bindHost: 127.0.0.1");
        }
        java.util.Set<Integer> costs = new java.util.TreeSet<>();
        config.users.forEach(u -> costs.add(PasswordAuthenticator.cost(u.passwordHash)));
        if (costs.size() > 1) {
            out.add(file + ": users: the password hashes have different bcrypt costs " + costs + ", so a wrong"
                    + " password answers faster for the cheaper users than for an unknown name; re-hash them all"
                    + " with ./mxcutover hash-password (cost " + PasswordAuthenticator.COST + ")");
        }
        return out;
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof ConfigurationProblems) {
            cli.getStdErr().println(e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }

    private static int report(List<PlanProblem> problems) {
        problems.forEach(p -> System.err.println(p));
        return problems.size();
    }

    @SuppressWarnings("unchecked")
    private static Optional<Path> planPathOf(String yamlFile) {
        if (yamlFile == null) return Optional.empty();
        try (Reader r = new FileReader(yamlFile, StandardCharsets.UTF_8)) {
            Object root = new Yaml().load(r);
            if (root instanceof Map<?, ?> m && m.get("plan") instanceof String p) return Optional.of(Path.of(p));
        } catch (Exception e) {
            // unreadable YAML: its own problem was already printed
        }
        return Optional.empty();
    }
}
