package io.mxcutover.appliance.probe;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.readiness.Check;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of the post-cutover probes for a domain, as the domain page and the report show it: the
 * send/receive test (a message through the relay to the probe mailbox, read back from the new IMAP server)
 * and the credential check (every mailbox with a known new-server password logs in).
 *
 * @param state {@code running} until both probes are done, then {@code done}
 * @param requestedBy the admin who asked ({@code POST .../probes}), or {@code system} after a cutover
 * @param messageId the Message-ID of the test message, to find it in the relay's and the new server's logs
 * @param sendReceive the send/receive test's verdict; empty while running
 * @param credentials the credential check's verdict; empty while running
 * @param logins one line per mailbox whose login was tried
 */
public record ProbeRun(
        String domain,
        String state,
        String requestedBy,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Optional<String> messageId,
        Optional<Check> sendReceive,
        Optional<Check> credentials,
        List<LoginResult> logins) {

    public static final String SEND_RECEIVE = "send-receive";
    public static final String CREDENTIALS = "credentials";
    public static final String RUNNING = "running";
    public static final String DONE = "done";

    /** One mailbox's login on the new server; {@code detail} is the server's answer, never the password. */
    public record LoginResult(String mailbox, boolean loggedIn, String detail) {
        public LoginResult {
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public ProbeRun {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(startedAt, "startedAt");
        finishedAt = finishedAt == null ? Optional.empty() : finishedAt;
        messageId = messageId == null ? Optional.empty() : messageId;
        sendReceive = sendReceive == null ? Optional.empty() : sendReceive;
        credentials = credentials == null ? Optional.empty() : credentials;
        logins = logins == null ? List.of() : List.copyOf(logins);
    }

    static ProbeRun started(String domain, String requestedBy, Instant at) {
        return new ProbeRun(
                domain,
                RUNNING,
                requestedBy,
                at,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of());
    }

    ProbeRun withMessageId(String id) {
        return new ProbeRun(
                domain, state, requestedBy, startedAt, finishedAt, Optional.of(id), sendReceive, credentials, logins);
    }

    ProbeRun finished(Instant at, Check sendReceive, Check credentials, List<LoginResult> logins) {
        return new ProbeRun(
                domain,
                DONE,
                requestedBy,
                startedAt,
                Optional.of(at),
                messageId,
                Optional.of(sendReceive),
                Optional.of(credentials),
                logins);
    }

    public boolean running() {
        return state.equals(RUNNING);
    }

    /** "send-receive PASS: ...; credentials WARN: ..." for the audit log. */
    public String summary() {
        if (running()) {
            return "probes of " + domain + " running since " + AdminText.at(startedAt);
        }
        return sendReceive.map(Check::toString).orElse("") + "; "
                + credentials.map(Check::toString).orElse("");
    }
}
