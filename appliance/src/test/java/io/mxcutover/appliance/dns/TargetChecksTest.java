package io.mxcutover.appliance.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.PreflightResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code checks} object of the DNS report: what ran, and UNKNOWN with the reason for what did not. */
class TargetChecksTest {

    static final Instant AT = Instant.parse("2026-11-20T08:00:06Z");
    static final List<String> HOSTS = List.of("mx1.new.example", "mx2.new.example");

    @Test
    @SuppressWarnings("unchecked")
    void viewShouldSayUnknownForEveryCheckWhenNotCheckedYet() {
        Map<String, Object> view = TargetChecks.view(Optional.empty(), HOSTS);

        assertThat(view.get("checkedAt")).isNull();
        Map<String, Object> dnssec = (Map<String, Object>) view.get("dnssec");
        assertThat(dnssec.get("status")).isEqualTo("UNKNOWN");
        assertThat((String) dnssec.get("detail")).startsWith("not checked yet");
        List<Map<String, Object>> targets = (List<Map<String, Object>>) view.get("mxTargets");
        assertThat(targets).extracting(t -> t.get("host")).containsExactly("mx1.new.example", "mx2.new.example");
        assertThat(targets).allSatisfy(t -> {
            assertThat(t.get("status")).isEqualTo("UNKNOWN");
            assertThat((String) t.get("detail")).startsWith("not checked yet");
            assertThat((List<String>) t.get("addresses")).isEmpty();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void viewShouldCarryEachResultWithItsDetailWhenChecked() {
        TargetChecks checks = new TargetChecks(
                AT,
                new DnssecStatus(DnssecStatus.Status.BOGUS, "DNSSEC validation of example.com fails"),
                List.of(
                        new PreflightResult(
                                "mx1.new.example",
                                PreflightResult.Status.OK,
                                List.of("192.0.2.10"),
                                "every address greets with 220 on port 25"),
                        new PreflightResult(
                                "mx2.new.example",
                                PreflightResult.Status.NOT_LISTENING,
                                List.of("192.0.2.11"),
                                "192.0.2.11 port 25 does not accept SMTP connections")),
                Optional.empty());

        Map<String, Object> view = TargetChecks.view(Optional.of(checks), HOSTS);

        assertThat(view.get("checkedAt")).isEqualTo("2026-11-20T08:00:06Z");
        assertThat(view.get("dnssec"))
                .isEqualTo(Map.of("status", "BOGUS", "detail", "DNSSEC validation of example.com fails"));
        List<Map<String, Object>> targets = (List<Map<String, Object>>) view.get("mxTargets");
        assertThat(targets).extracting(t -> t.get("status")).containsExactly("OK", "NOT_LISTENING");
        assertThat(targets.get(0).get("addresses")).isEqualTo(List.of("192.0.2.10"));
        assertThat((String) targets.get(1).get("detail")).contains("does not accept SMTP connections");
    }

    @Test
    @SuppressWarnings("unchecked")
    void viewShouldSayUnknownWithTheReasonWhenTheMxTargetCheckCouldNotRun() {
        TargetChecks checks = new TargetChecks(
                AT,
                new DnssecStatus(DnssecStatus.Status.UNKNOWN, "cannot check DNSSEC via 127.0.0.1:2: timed out"),
                List.of(),
                Optional.of("java.util.concurrent.CompletionException: resolver gone"));

        Map<String, Object> view = TargetChecks.view(Optional.of(checks), HOSTS);

        assertThat(((Map<String, Object>) view.get("dnssec")).get("status")).isEqualTo("UNKNOWN");
        List<Map<String, Object>> targets = (List<Map<String, Object>>) view.get("mxTargets");
        assertThat(targets).hasSize(2).allSatisfy(t -> {
            assertThat(t.get("status")).isEqualTo("UNKNOWN");
            assertThat((String) t.get("detail")).contains("could not run").contains("resolver gone");
        });
    }
}
