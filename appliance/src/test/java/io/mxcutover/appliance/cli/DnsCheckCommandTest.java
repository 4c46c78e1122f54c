package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument parsing and exit codes of {@code ./mxcutover dnscheck}, against a server that never answers. */
class DnsCheckCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> exits = new ArrayList<>();

    private void run(String... args) throws Exception {
        Bootstrap<ApplianceConfiguration> bootstrap = new Bootstrap<>(new ApplianceApplication());
        bootstrap.addCommand(
                new DnsCheckCommand(Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), exits::add));
        new Cli(new JarLocation(getClass()), bootstrap, new ByteArrayOutputStream(), new ByteArrayOutputStream())
                .run(args);
    }

    @Test
    void dnscheckShouldExitWithErrorCodeAndJsonVerdictWhenAuthoritativeServerTimesOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String server = "127.0.0.1:" + silent.getLocalPort();

            run(
                    "dnscheck",
                    "example.com",
                    "--expect",
                    "mx1.new.example,mx2.new.example",
                    "--authoritative",
                    server,
                    "--resolver",
                    server,
                    "--timeout-ms",
                    "200",
                    "--json");
        }

        assertThat(exits).containsExactly(7);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"verdict\" : \"ERROR\"")
                .contains("\"TIMEOUT\"");
    }

    @Test
    void dnscheckShouldExitWithUsageCodeWhenExpectedSetEqualsLegacy() throws Exception {
        run(
                "dnscheck",
                "example.com",
                "--expect",
                "mx.example",
                "--legacy",
                "mx.example",
                "--authoritative",
                "127.0.0.1:9");

        assertThat(exits).containsExactly(2);
    }

    @Test
    void optionsShouldKeepRepeatedAndCommaSeparatedServersWhenParsed() throws Exception {
        net.sourceforge.argparse4j.inf.ArgumentParser parser =
                net.sourceforge.argparse4j.ArgumentParsers.newFor("mxcutover").build();
        DnsCheckCommand command = new DnsCheckCommand();
        command.configure(parser.addSubparsers().addParser("dnscheck"));

        var options = DnsCheckCommand.options(parser.parseArgs(new String[] {
            "dnscheck",
            "Example.com.",
            "--expect",
            "mx1.new.example, 5 mx0.new.example",
            "--resolver",
            "127.0.0.1:5300",
            "--resolver",
            "127.0.0.2:5300,[::1]:53",
            "--authoritative",
            "127.0.0.1:5301",
            "--spf-require",
            "include:spf.new.example",
            "--preflight-port",
            "2525",
            "--plan"
        }));

        assertThat(options.expected().domain()).isEqualTo("example.com");
        assertThat(options.expected().expected())
                .extracting(Object::toString)
                .containsExactly("10 mx1.new.example.", "5 mx0.new.example.");
        assertThat(options.resolvers())
                .extracting(s -> s.address())
                .containsExactly("127.0.0.1:5300", "127.0.0.2:5300", "[::1]:53");
        assertThat(options.authoritative()).hasSize(1);
        assertThat(options.spf().required()).containsExactly("include:spf.new.example");
        assertThat(options.preflightPort()).hasValue(2525);
        assertThat(options.plan()).isTrue();
        assertThat(options.json()).isFalse();
    }

    @Test
    void optionsShouldReadTrustAnchorRecordsWhenFileGiven(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path anchors = dir.resolve("anchors.ds");
        java.nio.file.Files.writeString(
                anchors,
                "; signed.test, DS not at the parent yet\n\n"
                        + "signed.test. IN DS 42257 13 2 BAF4CDE9C0C9E718447D85635747A07F268301C85DFC04BA76ACBBEF66A3092F\n");
        net.sourceforge.argparse4j.inf.ArgumentParser parser =
                net.sourceforge.argparse4j.ArgumentParsers.newFor("mxcutover").build();
        new DnsCheckCommand().configure(parser.addSubparsers().addParser("dnscheck"));

        var options = DnsCheckCommand.options(parser.parseArgs(new String[] {
            "dnscheck", "signed.test", "--expect", "mx1.new.test", "--dnssec", "--trust-anchor", anchors.toString()
        }));

        assertThat(options.trustAnchors()).singleElement().asString().startsWith("signed.test. IN DS 42257 13 2");
        assertThat(options.dnssec()).isTrue();
    }

    @Test
    void dnscheckShouldExitWithUsageCodeWhenSpfTermIsNotAMechanism() throws Exception {
        run(
                "dnscheck",
                "example.com",
                "--expect",
                "mx1.new.example",
                "--authoritative",
                "127.0.0.1:1",
                "--spf-require",
                "v=spf1 include:spf.new.example -all");

        assertThat(exits).containsExactly(2);
    }
}
