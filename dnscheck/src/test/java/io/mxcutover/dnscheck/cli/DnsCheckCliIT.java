package io.mxcutover.dnscheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.dnscheck.it.Zones;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code mxcutover dnscheck} one-shot runs against real NSD and Unbound. */
@ExtendWith(RealServers.class)
class DnsCheckCliIT {

    TestServers servers;
    NameServer nsd1;
    NameServer unbound;

    @BeforeEach
    void servers(TestServers servers) {
        this.servers = servers;
        nsd1 = new NameServer(
                "127.0.0.1:" + servers.dns().authoritativePort(),
                NameServer.Role.AUTHORITATIVE,
                "127.0.0.1",
                servers.dns().authoritativePort());
        unbound = new NameServer(
                "127.0.0.1:" + servers.dns().resolverPort(),
                NameServer.Role.RESOLVER,
                "127.0.0.1",
                servers.dns().resolverPort());
    }

    private record Run(int exit, String out) {}

    private Run run(DnsCheckOptions options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit =
                new DnsCheckCli(Clock.systemUTC()).run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private DnsCheckOptions options(String domain, List<String> expect, SpfExpectation spf, boolean json) {
        return new DnsCheckOptions(
                ExpectedMx.of(domain, expect),
                spf,
                List.of(unbound),
                List.of(nsd1),
                53,
                Duration.ofSeconds(2),
                true,
                json,
                OptionalInt.empty(),
                false,
                false);
    }

    @Test
    void cliShouldExitZeroAndPrintTableWhenPropagated() {
        String zone = Zones.unique("cli");
        servers.dns()
                .writeZone(
                        zone,
                        Zones.zone(
                                zone,
                                60,
                                300,
                                Zones.mx("10 mx1.new.test.", "20 mx2.new.test."),
                                "@ IN TXT \"v=spf1 include:spf.new.test -all\""));
        servers.dns().reload();

        Run run = run(options(
                zone,
                List.of("mx1.new.test", "mx2.new.test"),
                new SpfExpectation(List.of("include:spf.new.test"), List.of("include:legacy.test")),
                false));

        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("authoritative  127.0.0.1:" + servers.dns().authoritativePort())
                .contains("10 mx1.new.test, 20 mx2.new.test")
                .contains("Verdict:       PROPAGATED (1 of 1 resolvers on the new MX)")
                .contains("Switch time:   ")
                .contains("SPF:           OK \"v=spf1 include:spf.new.test -all\"")
                .contains("Exit code:     0");
    }

    @Test
    void cliShouldPrintJsonVerdictAndExitFiveWhenNotSwitched() throws Exception {
        Run run = run(options(
                servers.domain(),
                List.of("mx1.new.test"),
                new SpfExpectation(List.of("include:spf.new.test"), List.of()),
                true));

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(run.exit()).isEqualTo(5);
        assertThat(json.get("verdict").asText()).isEqualTo("NOT_SWITCHED");
        assertThat(json.get("switchTime").isNull()).isTrue();
        assertThat(json.get("spf").get("status").asText()).isEqualTo("MISSING_REQUIRED");
        assertThat(json.get("servers")).hasSize(2);
        assertThat(json.get("servers").get(0).get("mx").get("answers").get(0).asText())
                .isEqualTo("10 mx.legacy.test");
        assertThat(json.get("servers").get(0).get("mx").get("ttl").asLong()).isEqualTo(30);
    }

    @Test
    void cliShouldExitSevenWhenAuthoritativeServerRefuses() throws Exception {
        Run run = run(options("example.org", List.of("mx1.new.test"), SpfExpectation.NONE, true));

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(run.exit()).isEqualTo(7);
        assertThat(json.get("verdict").asText()).isEqualTo("ERROR");
        assertThat(json.get("servers").get(0).get("mx").get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(json.get("servers").get(1).get("mx").get("outcome").asText()).isEqualTo("SERVFAIL");
    }

    @Test
    void cliShouldPrintDnsPlanWithRewrittenSpfWhenAsked() {
        DnsCheckOptions options = new DnsCheckOptions(
                ExpectedMx.of(servers.domain(), List.of("mx1.new.test", "mx2.new.test")),
                new SpfExpectation(List.of("include:spf.new.test"), List.of("include:legacy.test")),
                List.of(unbound),
                List.of(nsd1),
                53,
                Duration.ofSeconds(2),
                true,
                false,
                OptionalInt.empty(),
                false,
                true);

        Run run = run(options);

        assertThat(run.out())
                .contains("DNS records to publish for example.test.")
                .contains("example.test.\t300\tIN\tMX\t10 mx1.new.test.")
                .contains("example.test.\t300\tIN\tMX\t20 mx2.new.test.")
                .contains("example.test.\t300\tIN\tTXT\t\"v=spf1 include:spf.new.test -all\"");
    }
}
