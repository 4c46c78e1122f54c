package io.mxcutover.dnscheck.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.dnscheck.poll.NameServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PropagationTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1} ({2} of {3})")
    @CsvSource(delimiter = '|', textBlock = """
            A1:old A2:old R1:old R2:old                 | NOT_SWITCHED | 0 | 0
            A1:old                                      | NOT_SWITCHED | 0 | 0
            A1:other A2:other R1:new                    | NOT_SWITCHED | 0 | 0
            A1:nodata A2:nodata                         | NOT_SWITCHED | 0 | 0
            A1:nxdomain R1:nxdomain                     | NOT_SWITCHED | 0 | 0
            A1:old A2:old R1:new R2:new                 | NOT_SWITCHED | 0 | 0
            A1:new A2:new R1:old R2:old                 | PUBLISHED    | 0 | 2
            A1:new A2:new R1:old R2:nodata              | PUBLISHED    | 0 | 2
            A1:new R1:other                             | PUBLISHED    | 0 | 1
            A1:new A2:new R1:new R2:old                 | PROPAGATING  | 1 | 2
            A1:new A2:new R1:new R2:old R3:old          | PROPAGATING  | 1 | 3
            A1:new A2:new R1:new R2:new R3:old          | PROPAGATING  | 2 | 3
            A1:new R1:new R2:nxdomain                   | PROPAGATING  | 1 | 2
            A1:new A2:new R1:new R2:new                 | PROPAGATED   | 2 | 2
            A1:new A2:newrev R1:newrev R2:new           | PROPAGATED   | 2 | 2
            A1:new                                      | PROPAGATED   | 0 | 0
            A1:new R1:new R2:timeout                    | ERROR        | 1 | 1
            A1:new R1:new R2:servfail R3:refused        | ERROR        | 1 | 1
            A1:new A2:new R1:new R2:neterr              | ERROR        | 1 | 1
            A1:new A2:new R1:new R2:servfail            | ERROR        | 1 | 1
            A1:new A2:new R1:new R2:refused             | ERROR        | 1 | 1
            A1:new R1:old R2:timeout                    | PUBLISHED    | 0 | 1
            A1:new R1:new R2:old R3:neterr              | PROPAGATING  | 1 | 2
            A1:new A2:old R1:new                        | INCONSISTENT | 0 | 0
            A1:new A2:other                             | INCONSISTENT | 0 | 0
            A1:old A2:nodata                            | INCONSISTENT | 0 | 0
            A1:new A2:new A3:old R1:new                 | INCONSISTENT | 0 | 0
            A1:new A2:old A3:timeout                    | INCONSISTENT | 0 | 0
            A1:nodata A2:nxdomain                       | NOT_SWITCHED | 0 | 0
            A1:new A2:timeout R1:new                    | ERROR        | 0 | 0
            A1:old A2:servfail                          | ERROR        | 0 | 0
            A1:servfail A2:refused R1:new               | ERROR        | 0 | 0
            A1:timeout                                  | ERROR        | 0 | 0
            A1:neterr                                   | ERROR        | 0 | 0
            A1:lame R1:new                              | ERROR        | 0 | 0
            A1:new A2:lame                              | ERROR        | 0 | 0
            R1:new R2:new                               | ERROR        | 0 | 0
            A1:new R1:timeout R2:servfail               | ERROR        | 0 | 0
            A1:new R1:refused                           | ERROR        | 0 | 0
            """)
    void evaluateShouldGiveVerdictWhenServersAnswer(String spec, Verdict verdict, int k, int n) {
        PropagationReport report = Propagation.evaluate(Observations.EXPECTED, Observations.parse(spec));

        assertThat(report.verdict()).isEqualTo(verdict);
        assertThat(report.resolversOnNew()).isEqualTo(k);
        assertThat(report.resolversAnswering()).isEqualTo(n);
        assertThat(report.servers()).hasSize(Observations.parse(spec).size());
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            A1:new    | NEW
            A1:newrev | NEW
            A1:old    | OLD
            A1:other  | OTHER
            A1:nodata | ABSENT
            A1:nxdomain | ABSENT
            A1:servfail | FAILED
            A1:refused  | FAILED
            A1:timeout  | FAILED
            A1:neterr   | FAILED
            A1:lame     | LAME
            R1:new      | NEW
            R1:old      | OLD
            R1:timeout  | FAILED
            """)
    void viewShouldClassifyAnswerWhenLegacyKnown(String spec, MxView view) {
        PropagationReport report = Propagation.evaluate(Observations.EXPECTED, Observations.parse(spec));

        assertThat(report.servers().get(0).view()).isEqualTo(view);
    }

    @Test
    void viewShouldCallAnyOtherSetOldWhenLegacyUnknown() {
        ExpectedMx noLegacy = ExpectedMx.of("example.com", List.of("mx1.new.example", "mx2.new.example"));

        PropagationReport report = Propagation.evaluate(noLegacy, Observations.parse("A1:other A2:old"));

        assertThat(report.servers()).extracting(ServerStatus::view).containsExactly(MxView.OLD, MxView.OLD);
        assertThat(report.verdict()).isEqualTo(Verdict.INCONSISTENT);
    }

    @Test
    void reasonShouldNameFailingServerWhenAuthoritativeTimesOut() {
        PropagationReport report = Propagation.evaluate(Observations.EXPECTED, Observations.parse("A1:new A2:timeout"));

        assertThat(report.reason()).contains("A2 TIMEOUT").contains("example.com");
    }

    @Test
    void expectedMxShouldRejectSameSetWhenLegacyEqualsExpected() {
        assertThatThrownBy(() -> new ExpectedMx(
                        "example.com", List.of(MxHost.of("10 a.example")), List.of(MxHost.of("20 A.example."))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10 mx.example.com.   | 10 | mx.example.com
            0 .                  | 0  | ''
            mx.example.com       | 10 | mx.example.com
            5   MX.Example.COM   | 5  | mx.example.com
            """)
    void mxHostShouldParseWhenWrittenAsInZoneFile(String text, int priority, String host) {
        assertThat(MxHost.of(text)).isEqualTo(new MxHost(priority, host));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1:5300 | 127.0.0.1 | 5300
            9.9.9.9        | 9.9.9.9   | 53
            [::1]:5353     | ::1       | 5353
            2001:db8::1    | 2001:db8::1 | 53
            ns1.example:54 | ns1.example | 54
            """)
    void nameServerShouldParseWhenGivenHostPort(String text, String host, int port) {
        NameServer server = NameServer.of(NameServer.Role.RESOLVER, text);

        assertThat(server.host()).isEqualTo(host);
        assertThat(server.port()).isEqualTo(port);
    }

    @Test
    void expectedMxShouldNumberPrioritiesWhenHostsGivenBare() {
        ExpectedMx expected = ExpectedMx.of("Example.COM.", List.of("mx1.new.example", "mx2.new.example"));

        assertThat(expected.domain()).isEqualTo("example.com");
        assertThat(expected.expected())
                .containsExactly(new MxHost(10, "mx1.new.example"), new MxHost(20, "mx2.new.example"));
    }
}
