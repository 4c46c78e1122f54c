package io.mxcutover.appliance.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.dnscheck.cli.DnsCheckCli;
import io.mxcutover.dnscheck.cli.DnsCheckOptions;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover dnscheck example.com --expect mx1.new.example,mx2.new.example
 * [--resolver 127.0.0.1:5300 ...] [--authoritative 127.0.0.1:5301 ...] [--json]}: one poll,
 * printed; the process exits with the verdict's code (0 PROPAGATED, 3 PROPAGATING,
 * 4 PUBLISHED, 5 NOT_SWITCHED, 6 INCONSISTENT, 7 ERROR), so scripts can wait for 0.
 */
public final class DnsCheckCommand extends Command {

    private final Clock clock;
    private final PrintStream out;
    private final IntConsumer exit;

    public DnsCheckCommand() {
        this(Clock.systemUTC(), System.out, System::exit);
    }

    /** Tests capture the output and the exit code instead of ending the JVM. */
    public DnsCheckCommand(Clock clock, PrintStream out, IntConsumer exit) {
        super("dnscheck", "Check once how far a domain's MX change has spread (exit 0 when propagated)");
        this.clock = clock;
        this.out = out;
        this.exit = exit;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("domain").help("the domain whose MX moves, e.g. example.com");
        subparser
                .addArgument("--expect")
                .required(true)
                .metavar("HOST[,HOST...]")
                .help("the new MX hosts, in priority order (10, 20, ...), or '5 mx1.example' with a priority");
        subparser
                .addArgument("--legacy")
                .metavar("HOST[,HOST...]")
                .help("the old MX hosts (default: anything that is not the expected set)");
        subparser
                .addArgument("--resolver")
                .action(Arguments.append())
                .metavar("HOST[:PORT]")
                .help("a recursive resolver to check (repeatable; default: public resolvers of Google, "
                        + "Cloudflare, Quad9, OpenDNS)");
        subparser
                .addArgument("--authoritative")
                .action(Arguments.append())
                .metavar("HOST[:PORT]")
                .help("an authoritative server to ask directly (repeatable; default: the domain's NS records)");
        subparser
                .addArgument("--authoritative-port")
                .type(Integer.class)
                .setDefault(53)
                .help("port of the authoritative servers found by NS lookup");
        subparser
                .addArgument("--spf-require")
                .action(Arguments.append())
                .metavar("TERM")
                .help("an SPF term that must be present, e.g. include:spf.new.example (repeatable)");
        subparser
                .addArgument("--spf-forbid")
                .action(Arguments.append())
                .metavar("TERM")
                .help("an SPF term that must be gone, e.g. include:spf.legacy.example (repeatable)");
        subparser
                .addArgument("--timeout-ms")
                .type(Integer.class)
                .setDefault(3000)
                .help("per query");
        subparser.addArgument("--no-edns").action(Arguments.storeTrue()).help("send plain 512-byte DNS queries");
        subparser
                .addArgument("--preflight-port")
                .type(Integer.class)
                .help("also check that every expected MX host resolves and greets with 220 on this port");
        subparser
                .addArgument("--dnssec")
                .action(Arguments.storeTrue())
                .help("also validate the zone through the first resolver (reported, not required)");
        subparser
                .addArgument("--trust-anchor")
                .action(Arguments.append())
                .metavar("FILE")
                .help("DS or DNSKEY records (zone-file lines) to trust next to the root's, for --dnssec "
                        + "(a zone whose DS is not at its parent yet, a private TLD); repeatable");
        subparser.addArgument("--plan").action(Arguments.storeTrue()).help("also print the DNS records to publish");
        subparser.addArgument("--json").action(Arguments.storeTrue()).help("print the report as JSON");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        DnsCheckOptions options;
        try {
            options = options(ns);
        } catch (IllegalArgumentException e) {
            System.err.println("dnscheck: " + e.getMessage());
            exit.accept(DnsCheckCli.USAGE_ERROR);
            return;
        }
        exit.accept(new DnsCheckCli(clock).run(options, out));
    }

    static DnsCheckOptions options(Namespace ns) {
        ExpectedMx expected = new ExpectedMx(
                ns.getString("domain"),
                ExpectedMx.withDefaultPriorities(split(ns.getString("expect"))),
                ExpectedMx.withDefaultPriorities(split(ns.getString("legacy"))));
        SpfExpectation spf = new SpfExpectation(list(ns, "spf_require"), list(ns, "spf_forbid"));
        Integer preflight = ns.getInt("preflight_port");
        return new DnsCheckOptions(
                expected,
                spf,
                list(ns, "resolver").stream()
                        .map(r -> NameServer.of(NameServer.Role.RESOLVER, r))
                        .toList(),
                list(ns, "authoritative").stream()
                        .map(a -> NameServer.of(NameServer.Role.AUTHORITATIVE, a))
                        .toList(),
                ns.getInt("authoritative_port"),
                Duration.ofMillis(ns.getInt("timeout_ms")),
                !ns.getBoolean("no_edns"),
                ns.getBoolean("json"),
                preflight == null ? OptionalInt.empty() : OptionalInt.of(preflight),
                ns.getBoolean("dnssec"),
                ns.getBoolean("plan"),
                trustAnchors(ns));
    }

    /** The record lines of every {@code --trust-anchor} file (blank lines and ; comments left out). */
    static List<String> trustAnchors(Namespace ns) {
        List<String> lines = new ArrayList<>();
        List<Object> files = ns.getList("trust_anchor");
        if (files == null) {
            return lines;
        }
        for (Object file : files) {
            try {
                Files.readAllLines(Path.of(String.valueOf(file)), StandardCharsets.US_ASCII).stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith(";"))
                        .forEach(lines::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the trust anchor file " + file + ": " + e.getMessage());
            }
        }
        return lines;
    }

    private static List<String> split(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static List<String> list(Namespace ns, String key) {
        List<Object> values = ns.getList(key);
        List<String> result = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> result.addAll(split(String.valueOf(v))));
        }
        return result;
    }
}
