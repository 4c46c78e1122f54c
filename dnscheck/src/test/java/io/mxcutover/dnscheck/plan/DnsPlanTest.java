package io.mxcutover.dnscheck.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.spf.SpfCheck;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.spf.SpfResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsPlanTest {

    @Test
    void renderShouldPrintMxLinesByPriorityAndSpfWhenPlanGiven() {
        String plan = DnsPlan.render(
                "Example.com",
                List.of(new MxHost(20, "mx2.new.example"), new MxHost(10, "mx1.new.example")),
                Optional.of("v=spf1 include:spf.new.example ~all"),
                300);

        assertThat(plan).isEqualTo("""
                DNS records to publish for example.com.

                Type  Host  Priority  Value                                TTL
                MX    @     10        mx1.new.example.                     300
                MX    @     20        mx2.new.example.                     300
                TXT   @               v=spf1 include:spf.new.example ~all  300

                Zone file (example.com.):
                example.com.\t300\tIN\tMX\t10 mx1.new.example.
                example.com.\t300\tIN\tMX\t20 mx2.new.example.
                example.com.\t300\tIN\tTXT\t"v=spf1 include:spf.new.example ~all"

                Remove the MX records of the old provider; keep the SPF record a single TXT record.
                """);
    }

    @Test
    void renderShouldOmitTxtWhenNoSpfGiven() {
        String plan = DnsPlan.render("example.com", List.of(new MxHost(10, "mx.new.example")), Optional.empty(), 3600);

        assertThat(plan)
                .contains("example.com.\t3600\tIN\tMX\t10 mx.new.example.")
                .doesNotContain("TXT\t");
    }

    @Test
    void quotedShouldSplitIntoCharacterStringsWhenLongerThan255() {
        String longSpf = "v=spf1 " + "ip4:192.0.2.1 ".repeat(30) + "-all";

        String quoted = DnsPlan.quoted(longSpf);

        assertThat(quoted).startsWith("\"v=spf1 ").contains("\" \"");
        assertThat(quoted.replace("\" \"", "").replace("\"", "")).isEqualTo(longSpf);
    }

    @Test
    void quotedShouldEscapeQuotesWhenPresent() {
        assertThat(DnsPlan.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    static final ExpectedMx EXPECTED = ExpectedMx.of("example.com", List.of("mx1.new.example"));
    static final SpfExpectation MOVE =
            new SpfExpectation(List.of("include:spf.new.example"), List.of("include:spf.legacy.example"));

    @Test
    void renderShouldPrintSpfRecordMeetingExpectationWhenPublishedRecordKnown() {
        SpfResult published = SpfCheck.evaluate(MOVE, List.of("v=spf1 mx include:spf.legacy.example -all"));

        String plan = DnsPlan.render(EXPECTED, MOVE, Optional.of(published), 300);

        assertThat(plan)
                .contains("example.com.\t300\tIN\tTXT\t\"v=spf1 mx include:spf.new.example -all\"")
                .doesNotContain("SPF:");
    }

    @Test
    void renderShouldWriteNewSpfRecordWhenDomainHasNone() {
        SpfResult published = SpfCheck.evaluate(MOVE, List.of("google-site-verification=abc"));

        assertThat(DnsPlan.render(EXPECTED, MOVE, Optional.of(published), 300))
                .contains("IN\tTXT\t\"v=spf1 include:spf.new.example ~all\"");
    }

    @Test
    void renderShouldSayWhatToDoWhenSpfRecordCannotBeWritten() {
        SpfResult multiple = SpfCheck.evaluate(MOVE, List.of("v=spf1 a -all", "v=spf1 mx -all"));
        SpfResult failed = SpfCheck.evaluate(MOVE, new LookupOutcome.ServFail());

        assertThat(DnsPlan.render(EXPECTED, MOVE, Optional.of(multiple), 300))
                .doesNotContain("TXT\t")
                .contains("SPF: the domain publishes several SPF records")
                .contains("must contain include:spf.new.example and not contain include:spf.legacy.example.");
        assertThat(DnsPlan.render(EXPECTED, MOVE, Optional.of(failed), 300)).contains("could not be read");
        assertThat(DnsPlan.render(EXPECTED, MOVE, Optional.empty(), 300)).contains("not known yet");
    }

    @Test
    void renderShouldPrintNoSpfWhenNothingExpected() {
        SpfResult published = SpfCheck.evaluate(SpfExpectation.NONE, List.of("v=spf1 -all"));

        assertThat(DnsPlan.render(EXPECTED, SpfExpectation.NONE, Optional.of(published), 300))
                .doesNotContain("TXT\t")
                .doesNotContain("SPF:");
    }
}
