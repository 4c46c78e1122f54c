package io.mxcutover.dnscheck.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.ServerReply;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which servers one NS name stands for, from its A and AAAA answers (no I/O). */
class NameServerDiscoveryTest {

    private static ServerReply reply(String spec) {
        return ServerReply.of(
                switch (spec) {
                    case "a" -> new LookupOutcome.NoError(List.of("192.0.2.1"), 300);
                    case "aaaa" -> new LookupOutcome.NoError(List.of("2001:db8::1"), 300);
                    case "nodata" -> new LookupOutcome.NoData(300);
                    case "nxdomain" -> new LookupOutcome.NxDomain(300);
                    case "servfail" -> new LookupOutcome.ServFail();
                    case "refused" -> new LookupOutcome.Refused();
                    case "timeout" -> new LookupOutcome.Timeout();
                    case "neterr" -> new LookupOutcome.NetworkError("malformed or mismatched reply");
                    default -> throw new IllegalArgumentException(spec);
                });
    }

    @ParameterizedTest(name = "[{index}] A {0}, AAAA {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            a        | aaaa     | 192.0.2.1 2001:db8::1
            a        | nodata   | 192.0.2.1
            a        | timeout  | 192.0.2.1
            nodata   | nodata   | ''
            nxdomain | nxdomain | ''
            timeout  | timeout  | ns2.example.com
            servfail | nodata   | ns2.example.com
            refused  | refused  | ns2.example.com
            neterr   | nodata   | ns2.example.com
            """)
    void serversShouldKeepNameServerWhenItsAddressIsUnknown(String a, String aaaa, String hosts) {
        List<NameServer> servers = NameServerDiscovery.servers("ns2.example.com", 53, reply(a), reply(aaaa));

        assertThat(servers)
                .extracting(NameServer::host)
                .containsExactly(hosts.isEmpty() ? new String[0] : hosts.split(" "));
        assertThat(servers).allMatch(NameServer::authoritative);
        if (hosts.equals("ns2.example.com")) {
            assertThat(servers.get(0).label()).contains("address lookup");
        }
    }
}
