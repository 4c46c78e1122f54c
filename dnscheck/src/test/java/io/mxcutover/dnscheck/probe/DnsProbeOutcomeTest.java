package io.mxcutover.dnscheck.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/** The response-to-outcome mapping, on messages built in memory (no I/O). */
class DnsProbeOutcomeTest {

    private static Message response(String rcode, String... records) throws IOException {
        Message m = new Message();
        m.getHeader().setRcode(Rcode.value(rcode));
        for (String r : records) {
            String[] p = r.split("\\s+", 2);
            Record record = Record.fromString(
                    Name.fromString("example.com."),
                    Type.value(p[0].contains("/") ? p[0].split("/")[0] : p[0]),
                    DClass.IN,
                    p[0].contains("/") ? Long.parseLong(p[0].split("/")[1]) : 300,
                    p[1],
                    Name.root);
            m.addRecord(record, record.getType() == Type.SOA ? Section.AUTHORITY : Section.ANSWER);
        }
        return m;
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            NOERROR  | MX/300 10 MX1.New.Example.;MX/120 20 mx2.new.example. | NOERROR  | 120
            NOERROR  | MX/30 0 .                                            | NOERROR  | 30
            NOERROR  | SOA/3600 ns1.example.com. h.example.com. 1 2 3 4 60   | NODATA   | 60
            NOERROR  | SOA/30 ns1.example.com. h.example.com. 1 2 3 4 600    | NODATA   | 30
            NOERROR  | ''                                                   | NODATA   | 0
            NOERROR  | CNAME/300 other.example.com.                         | NODATA   | 0
            NXDOMAIN | SOA/900 ns1.example.com. h.example.com. 1 2 3 4 300  | NXDOMAIN | 300
            NXDOMAIN | ''                                                   | NXDOMAIN | 0
            SERVFAIL | ''                                                   | SERVFAIL | -1
            REFUSED  | ''                                                   | REFUSED  | -1
            FORMERR  | ''                                                   | NETWORK_ERROR | -1
            NOTIMP   | ''                                                   | NETWORK_ERROR | -1
            """)
    void outcomeShouldFollowRcodeAndSoaWhenResponseGiven(String rcode, String records, String code, long ttl)
            throws IOException {
        String[] recs = records == null || records.isEmpty() ? new String[0] : records.split(";");

        LookupOutcome outcome = DnsProbe.outcome(response(rcode, recs), Type.MX);

        assertThat(outcome.code()).isEqualTo(code);
        if (ttl >= 0) {
            assertThat(io.mxcutover.dnscheck.cli.ReportViewAccess.ttl(outcome)).isEqualTo(ttl);
        }
    }

    @Test
    void outcomeShouldNormalizeMxTargetsWhenMixedCase() throws IOException {
        LookupOutcome outcome =
                DnsProbe.outcome(response("NOERROR", "MX/300 10 MX1.New.Example.", "MX/300 0 ."), Type.MX);

        assertThat(((LookupOutcome.NoError) outcome).answers()).containsExactly("10 mx1.new.example", "0 .");
    }

    @Test
    void outcomeShouldJoinCharacterStringsWhenTxtIsSplit() throws IOException {
        LookupOutcome outcome = DnsProbe.outcome(
                response(
                        "NOERROR",
                        "TXT/300 \"v=spf1 include:spf.new.example \" \"-all\"",
                        "TXT/300 \"google-site-verification=x\""),
                Type.TXT);

        assertThat(((LookupOutcome.NoError) outcome).answers())
                .containsExactly("v=spf1 include:spf.new.example -all", "google-site-verification=x");
    }

    @Test
    void failureShouldNameTheKindWhenQueryFails() {
        assertThat(DnsProbe.failure(new CompletionException(new SocketTimeoutException("x"))))
                .isEqualTo(new LookupOutcome.Timeout());
        assertThat(DnsProbe.failure(new TimeoutException())).isEqualTo(new LookupOutcome.Timeout());
        assertThat(DnsProbe.failure(new PortUnreachableException()).code()).isEqualTo("NETWORK_ERROR");
        assertThat(((LookupOutcome.NetworkError) DnsProbe.failure(new WireParseException("bad id"))).detail())
                .contains("malformed");
        assertThat(DnsProbe.failure(new IllegalStateException("boom")).code()).isEqualTo("NETWORK_ERROR");
        assertThat(List.of(DnsProbe.failure(new IOException("reset")))).allMatch(o -> !o.answered());
    }
}
