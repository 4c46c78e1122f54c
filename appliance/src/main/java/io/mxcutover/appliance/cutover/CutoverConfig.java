package io.mxcutover.appliance.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code cutover:} section of the service YAML (documented in docs/reference/configuration.md): how
 * often the catch-up windows are checked, and the post-cutover probes (one probe mailbox per domain on the
 * new server). Every field has a default; the section may be omitted, and then the send/receive test says
 * it is not configured.
 */
public class CutoverConfig {

    /** How often CATCHING_UP domains are checked for a closed window (and completed). */
    @NotNull
    @JsonProperty
    public Duration tickInterval = Duration.seconds(10);

    /**
     * How old a mailbox's last verification may be for the readiness gate to count it. Older, and the
     * verification check is red for that mailbox until it is verified again (POST /api/v1/domains/{d}/verify).
     */
    @NotNull
    @JsonProperty
    public Duration verificationMaxAge = Duration.hours(24);

    /** How long the send/receive test waits for its message to show up on the new server. */
    @NotNull
    @JsonProperty
    public Duration probeTimeout = Duration.minutes(5);

    /** Run the probes by themselves once the final sync pass after a cutover is done. */
    @JsonProperty
    public boolean probeAfterCutover = true;

    /** One mailbox per domain that the send/receive test writes to and reads back on the new server. */
    @Valid
    @NotNull
    @JsonProperty
    public List<ProbeMailbox> probeMailboxes = new ArrayList<>();

    /**
     * A dedicated mailbox on the new server (not a real user's: the probe leaves a message in it each run).
     * The relay must accept its address: when the plan lists the domain's recipients, list it too.
     */
    public static class ProbeMailbox {
        /** The address the test message is sent to, e.g. {@code mxcutover-probe@example.org}; names the domain. */
        @JsonProperty
        public String address = "";

        /** IMAP login of that mailbox on the new server (often the address itself). */
        @JsonProperty
        public String newLogin = "";

        /** Its password on the new server: write {@code ${MXCUTOVER_PROBE_PASSWORD}}; never logged or shown. */
        @JsonProperty
        public String newPassword = "";

        public String domain() {
            int at = address.lastIndexOf('@');
            return at < 0 ? "" : address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return address + " (login " + newLogin + ")";
        }
    }

    /** The probe mailbox of {@code domain}, if one is configured (the first one, should there be several). */
    public Optional<ProbeMailbox> probeMailbox(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return probeMailboxes.stream().filter(p -> p.domain().equals(d)).findFirst();
    }

    /** What is wrong with the probe mailboxes, one sentence each; empty when they can be used. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < probeMailboxes.size(); i++) {
            ProbeMailbox p = probeMailboxes.get(i);
            String where = "cutover.probeMailboxes[" + i + "]";
            if (p.address == null || !p.address.strip().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                problems.add(where + ".address '" + p.address + "' is not an address like mxcutover-probe@example.org");
                continue;
            }
            if (p.newLogin == null || p.newLogin.isBlank()) {
                problems.add(where + ".newLogin is empty: give the IMAP login of " + p.address + " on the new server");
            }
            if (p.newPassword == null || p.newPassword.isEmpty()) {
                problems.add(where + ".newPassword is empty: write newPassword: ${SOME_ENV_VARIABLE} and set it");
            }
            if (seen.contains(p.domain())) {
                problems.add(where + " is a second probe mailbox for " + p.domain() + ": keep one per domain");
            }
            seen.add(p.domain());
        }
        if (probeTimeout.toSeconds() < 1) {
            problems.add("cutover.probeTimeout " + probeTimeout + " is too short: mail needs seconds; write e.g. 5m");
        }
        if (verificationMaxAge.toSeconds() < 60) {
            problems.add("cutover.verificationMaxAge " + verificationMaxAge + " is too short: a domain-wide verify"
                    + " takes minutes; write e.g. 24h");
        }
        if (tickInterval.toMilliseconds() < 1) {
            problems.add("cutover.tickInterval must be positive, e.g. 10s");
        }
        return problems;
    }
}
