package io.mxcutover.dnscheck.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.NameServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/** What a validated response means (messages built in memory, no I/O). */
class DnssecVerdictTest {

    static final NameServer UPSTREAM = NameServer.of(NameServer.Role.RESOLVER, "127.0.0.1:5300");

    @ParameterizedTest(name = "[{index}] {0} AD={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            NOERROR  | true  | SECURE   | validates
            NOERROR  | false | INSECURE | is not signed
            NXDOMAIN | false | INSECURE | is not signed
            NXDOMAIN | true  | SECURE   | validates
            SERVFAIL | false | BOGUS    | validation of example.com fails
            REFUSED  | false | UNKNOWN  | answered REFUSED
            REFUSED  | true  | UNKNOWN  | answered REFUSED
            NOTIMP   | false | UNKNOWN  | answered NOTIMP
            FORMERR  | false | UNKNOWN  | answered FORMERR
            """)
    void verdictShouldBeUnknownWhenResponseCarriesNoAnswer(
            String rcode, boolean ad, DnssecStatus.Status status, String phrase) {
        Message response = new Message();
        response.getHeader().setRcode(Rcode.value(rcode));
        if (ad) {
            response.getHeader().setFlag(Flags.AD);
        }

        DnssecStatus verdict = DnssecCheck.verdict("example.com", UPSTREAM, response);

        assertThat(verdict.status()).isEqualTo(status);
        assertThat(verdict.detail()).contains(phrase);
    }
}
