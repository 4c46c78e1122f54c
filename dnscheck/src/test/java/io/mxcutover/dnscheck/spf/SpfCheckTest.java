package io.mxcutover.dnscheck.spf;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.DnsReport;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpfCheckTest {

    private static List<String> list(String s) {
        return s == null || s.isBlank()
                ? List.of()
                : Arrays.stream(s.split(",")).map(String::trim).toList();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            v=spf1 include:spf.new.example -all                        | include:spf.new.example | include:spf.legacy.example | OK
            v=spf1 include:SPF.New.Example. ~all                       | include:spf.new.example |                            | OK
            v=spf1 +include:spf.new.example ~all                       | include:spf.new.example |                            | OK
            v=spf1 include:spf.legacy.example -all                     | include:spf.new.example |                            | MISSING_REQUIRED
            v=spf1 include:spf.legacy.example include:spf.new.example -all | include:spf.new.example |                        | OK
            v=spf1 include:spf.legacy.example include:spf.new.example -all | include:spf.new.example | include:spf.legacy.example | OLD_STILL_PRESENT
            v=spf1 include:spf.legacy.example -all                     | include:spf.new.example | include:spf.legacy.example | MISSING_REQUIRED
            v=spf1 redirect=_spf.new.example                           | redirect=_spf.new.example |                          | OK
            v=spf1 include:_spf.new.example -all                       | redirect=_spf.new.example |                          | MISSING_REQUIRED
            v=spf1 mx a ip4:192.0.2.1 -all                             |                         |                            | OK
            v=spf1 -all                                                |                         | include:spf.legacy.example | OK
            V=SPF1 include:spf.new.example -all                        | include:spf.new.example |                            | OK
            google-site-verification=abc,v=spf1 include:spf.new.example ~all | include:spf.new.example |                    | OK
            google-site-verification=abc                               | include:spf.new.example |                            | NO_SPF
            ''                                                         | include:spf.new.example |                            | NO_SPF
            v=spf1 include:a -all,v=spf1 include:b -all                | include:a               |                            | MULTIPLE_SPF
            v=spf10 include:spf.new.example                            | include:spf.new.example |                            | NO_SPF
            v=spf1include:spf.new.example                              | include:spf.new.example |                            | NO_SPF
            v=spf1 include:spf.new.example.evil -all                   | include:spf.new.example |                            | MISSING_REQUIRED
            v=spf1 include:spf.new.example include:b -all              | include:spf.new.example,include:b,include:c |        | MISSING_REQUIRED
            """)
    void evaluateShouldReportStatusWhenTxtRecordsGiven(
            String txt, String required, String forbidden, SpfResult.Status status) {
        SpfExpectation expectation = new SpfExpectation(list(required), list(forbidden));
        List<String> records = txt == null || txt.isEmpty() ? List.of() : List.of(txt.split(","));

        SpfResult result = SpfCheck.evaluate(expectation, records);

        assertThat(result.status()).isEqualTo(status);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            NODATA   | NO_SPF
            NXDOMAIN | NO_SPF
            SERVFAIL | UNKNOWN
            TIMEOUT  | UNKNOWN
            """)
    void evaluateShouldMapLookupFailureWhenTxtQueryFailed(String code, SpfResult.Status status) {
        LookupOutcome outcome = switch (code) {
            case "NODATA" -> new LookupOutcome.NoData(60);
            case "NXDOMAIN" -> new LookupOutcome.NxDomain(60);
            case "SERVFAIL" -> new LookupOutcome.ServFail();
            default -> new LookupOutcome.Timeout();
        };

        SpfResult result = SpfCheck.evaluate(new SpfExpectation(List.of("include:x"), List.of()), outcome);

        assertThat(result.status()).isEqualTo(status);
    }

    @ParameterizedTest(name = "[{index}] {0} + {1} - {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                          | include:spf.new.example   |                            | v=spf1 include:spf.new.example ~all
            ''                                          | redirect=_spf.new.example |                            | v=spf1 redirect=_spf.new.example
            v=spf1 include:spf.legacy.example -all      | include:spf.new.example   |                            | v=spf1 include:spf.legacy.example include:spf.new.example -all
            v=spf1 include:spf.legacy.example -all      | include:spf.new.example   | include:spf.legacy.example | v=spf1 include:spf.new.example -all
            v=spf1 mx include:spf.legacy.example ~all   | include:spf.new.example   | include:spf.legacy.example | v=spf1 mx include:spf.new.example ~all
            v=spf1 include:spf.new.example -all         | include:spf.new.example   |                            | v=spf1 include:spf.new.example -all
            v=spf1 ip4:192.0.2.0/24                     | include:spf.new.example   |                            | v=spf1 ip4:192.0.2.0/24 include:spf.new.example
            v=spf1 a redirect=_spf.legacy.example       | include:spf.new.example   |                            | v=spf1 a include:spf.new.example redirect=_spf.legacy.example
            v=spf1 include:spf.legacy.example -all      | redirect=_spf.new.example | include:spf.legacy.example | v=spf1 redirect=_spf.new.example
            v=spf1 a redirect=_spf.legacy.example       | redirect=_spf.new.example |                            | v=spf1 a redirect=_spf.new.example
            google-site-verification=abc                | include:spf.new.example   |                            | v=spf1 include:spf.new.example ~all
            v=spf1 include:SPF.legacy.example. -all     | include:spf.new.example   | include:spf.legacy.example | v=spf1 include:spf.new.example -all
            """)
    void rewriteShouldAddNewTermAndDropOldWhenAsked(String current, String newTerm, String oldTerm, String expected) {
        Optional<String> cur = current == null || current.isEmpty() ? Optional.empty() : Optional.of(current);

        String rewritten = SpfRecord.rewrite(cur, newTerm, Optional.ofNullable(oldTerm));

        assertThat(rewritten).isEqualTo(expected);
        assertThat(SpfCheck.evaluate(
                                new SpfExpectation(List.of(newTerm), oldTerm == null ? List.of() : List.of(oldTerm)),
                                List.of(rewritten))
                        .status())
                .isEqualTo(SpfResult.Status.OK);
    }

    @ParameterizedTest(name = "[{index}] {0} + {1} - {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                        | include:spf.new.example,include:_spf.other.example | include:spf.legacy.example | v=spf1 include:spf.new.example include:_spf.other.example ~all
            v=spf1 include:spf.legacy.example ip4:192.0.2.1 -all | include:spf.new.example,ip4:198.51.100.0/24 | include:spf.legacy.example,ip4:192.0.2.1 | v=spf1 include:spf.new.example ip4:198.51.100.0/24 -all
            v=spf1 include:spf.legacy.example -all    |                                   | include:spf.legacy.example | v=spf1 -all
            ''                                        |                                   | include:spf.legacy.example | ''
            v=spf1 include:spf.legacy.example -all    | include:spf.new.example           |                            | v=spf1 include:spf.legacy.example include:spf.new.example -all
            """)
    void rewriteShouldMeetWholeExpectationWhenSeveralTermsGiven(
            String current, String required, String forbidden, String expected) {
        Optional<String> cur = current == null || current.isEmpty() ? Optional.empty() : Optional.of(current);
        SpfExpectation expectation = new SpfExpectation(list(required), list(forbidden));

        Optional<String> rewritten = SpfRecord.rewrite(cur, expectation);

        assertThat(rewritten.orElse("")).isEqualTo(expected == null ? "" : expected);
        rewritten.ifPresent(r ->
                assertThat(SpfCheck.evaluate(expectation, List.of(r)).status()).isEqualTo(SpfResult.Status.OK));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            include:spf.new-provider.example     | include:spf.new-provider.example
            ~Include:SPF.New.Example.            | include:spf.new.example
            redirect=_spf.new.example            | redirect=_spf.new.example
            ip4:192.0.2.0/24                     | ip4:192.0.2.0/24
            ip6:2001:db8::/32                    | ip6:2001:db8::/32
            mx                                   | mx
            a:mail.example/24                    | a:mail.example/24
            exists:%{i}._spf.new.example         | exists:%{i}._spf.new.example
            -all                                 | all
            """)
    void termShouldNormalizeWhenSpfMechanism(String term, String normalized) {
        assertThat(SpfExpectation.term(term)).isEqualTo(normalized);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            v=spf1 include:spf.new.example -all  | whole SPF record
            include:spf.new.example -all         | more than one SPF term
            include spf.new.example              | more than one SPF term
            include:                             | not an SPF mechanism
            includes:spf.new.example             | not an SPF mechanism
            spf.new.example                      | not an SPF mechanism
            ip4:192.0.2                          | not an SPF mechanism
            redirect:_spf.new.example            | not an SPF mechanism
            """)
    void termShouldRefuseWhenNotSpfMechanism(String term, String phrase) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpfExpectation.term(term))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(phrase)
                .hasMessageContaining("include:spf.new-provider.example");
    }

    /**
     * SPF as published comes from an authoritative answer with AA only. Spec per server:
     * {@code A|R:<ok|old|timeout|servfail|lame>}; "ok" has the new include, "old" only the legacy one.
     */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            A:ok R:old                 | OK
            A:old R:ok                 | MISSING_REQUIRED
            A:timeout R:ok             | UNKNOWN
            A:servfail R:ok            | UNKNOWN
            A:lame R:ok                | UNKNOWN
            A:timeout A:ok R:old       | OK
            A:lame A:old R:ok          | MISSING_REQUIRED
            R:ok                       | UNKNOWN
            """)
    void spfOfPollShouldOnlyTrustAuthoritativeAnswersWhenReadingWhatIsPublished(String spec, SpfResult.Status status) {
        List<Observation> observations = new java.util.ArrayList<>();
        int n = 0;
        for (String token : spec.trim().split("\\s+")) {
            String[] p = token.split(":");
            boolean auth = p[0].equals("A");
            NameServer server = new NameServer(
                    p[0] + (++n), auth ? NameServer.Role.AUTHORITATIVE : NameServer.Role.RESOLVER, "127.0.0." + n, 53);
            LookupOutcome txt = switch (p[1]) {
                case "ok", "lame" -> new LookupOutcome.NoError(List.of("v=spf1 include:spf.new.example -all"), 300);
                case "old" -> new LookupOutcome.NoError(List.of("v=spf1 include:spf.legacy.example -all"), 300);
                case "servfail" -> new LookupOutcome.ServFail();
                default -> new LookupOutcome.Timeout();
            };
            boolean aa = auth && !p[1].equals("lame");
            ServerReply mx = new ServerReply(new LookupOutcome.NoData(60), aa, false, java.time.Duration.ZERO);
            observations.add(new Observation(server, mx, new ServerReply(txt, aa, false, java.time.Duration.ZERO)));
        }
        Poll poll = new Poll("example.com", java.time.Instant.EPOCH, observations);

        SpfResult result = DnsReport.spfOf(new SpfExpectation(List.of("include:spf.new.example"), List.of()), poll);

        assertThat(result.status()).isEqualTo(status);
    }
}
