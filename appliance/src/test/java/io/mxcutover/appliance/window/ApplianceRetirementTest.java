package io.mxcutover.appliance.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.DomainView;
import io.mxcutover.appliance.facts.HostsGone;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the appliance may be retired for a domain. Columns: relay-first, phase, the watcher's "gone at"
 * (NIL: not known), its reason, now, then the expected retirable, at and a phrase of the summary
 * ('-' in retirable: no retirement to show).
 */
class ApplianceRetirementTest {

    @ParameterizedTest(name = "[{index}] {0} {1} gone at {2}, now {4} -> {5} {7}")
    @CsvSource(delimiter = ';', nullValues = "NIL", textBlock = """
            false ; COMPLETED   ; 2026-11-22T10:00:00Z ; gone             ; 2026-11-23T00:00:00Z ; -     ; NIL                   ; NIL
            true  ; RELAYING    ; NIL                   ; NIL               ; 2026-11-23T00:00:00Z ; false ; NIL                   ; not yet: example.com is RELAYING
            true  ; CATCHING_UP ; 2026-11-22T10:00:00Z ; gone             ; 2026-11-23T00:00:00Z ; false ; NIL                   ; the sync catches up from legacy until the window closes); once COMPLETED point the MX from mx.appliance.example
            true  ; COMPLETED   ; NIL                   ; resolver R1 still returns mx.appliance.example (TTL 300 s) ; 2026-11-23T00:00:00Z ; false ; NIL ; not yet: resolver R1 still returns mx.appliance.example
            true  ; COMPLETED   ; NIL                   ; resolver R1 gave no answer (TIMEOUT): unknown ; 2026-11-23T00:00:00Z ; false ; NIL ; not yet: resolver R1 gave no answer (TIMEOUT)
            true  ; COMPLETED   ; NIL                   ; authoritative server ns2 gave no answer (SERVFAIL): unknown ; 2026-11-23T00:00:00Z ; false ; NIL ; SERVFAIL
            true  ; COMPLETED   ; NIL                   ; no DNS observation of example.com yet ; 2026-11-23T00:00:00Z ; false ; NIL ; not yet: no DNS observation
            true  ; COMPLETED   ; 2026-11-23T10:00:00Z ; gone since X     ; 2026-11-23T00:00:00Z ; false ; 2026-11-23T10:00:00Z ; can be retired for example.com at 2026-11-23T10:00Z
            true  ; COMPLETED   ; 2026-11-22T10:00:00Z ; gone since X     ; 2026-11-23T00:00:00Z ; true  ; 2026-11-22T10:00:00Z ; can be retired for example.com since 2026-11-22T10:00Z
            true  ; COMPLETED   ; 2026-11-23T00:00:00Z ; gone since X     ; 2026-11-23T00:00:00Z ; true  ; 2026-11-23T00:00:00Z ; since
            """)
    void retirementShouldSayWhenWhenRelayFirstAndDnsLetGo(
            boolean relayFirst,
            CutoverPhase phase,
            Instant goneAt,
            String reason,
            Instant now,
            String retirable,
            Instant at,
            String phrase) {
        HostsGone dns = new HostsGone(Optional.ofNullable(goneAt), reason == null ? "" : reason);

        Optional<DomainView.RetirementView> view = ApplianceRetirement.evaluate(
                "example.com", relayFirst, List.of("mx.appliance.example"), phase, dns, now);

        if (retirable.equals("-")) {
            assertThat(view).isEmpty();
            return;
        }
        assertThat(view).hasValueSatisfying(v -> {
            assertThat(v.retirable()).isEqualTo(Boolean.parseBoolean(retirable));
            assertThat(v.at()).isEqualTo(Optional.ofNullable(at));
            assertThat(v.summary()).contains(phrase);
        });
    }
}
