package io.mxcutover.appliance.probe;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.Command;
import io.mxcutover.appliance.cutover.CutoverConfig;
import io.mxcutover.appliance.cutover.CutoverService;
import io.mxcutover.appliance.facts.CredentialSource;
import io.mxcutover.appliance.facts.MailboxLogin;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.PlanImapUrl;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.status.Listeners;
import io.mxcutover.sync.time.Sleeper;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The post-cutover probes of a domain, run in the background: after the final sync pass of a cutover
 * ({@link CutoverService}), and when an admin asks ({@code POST /api/v1/domains/{domain}/probes}).
 *
 * <ol>
 *   <li>Send/receive test: a message with a Message-ID of its own goes through the appliance's relay
 *       listener ({@code relay.smtp}) to the domain's probe mailbox ({@code cutover.probeMailboxes}); the
 *       probe mailbox logs in to the new IMAP server and looks for it in its INBOX every second until
 *       {@code cutover.probeTimeout}.</li>
 *   <li>Credential check: every mailbox whose new-server password the {@link CredentialSource} knows logs
 *       in to the new IMAP server once (LOGIN, LOGOUT; nothing is read). When the server stops answering,
 *       the remaining mailboxes are reported as not checked rather than each waiting for its timeout.</li>
 * </ol>
 *
 * <p>One run per domain at a time: asking again while one runs returns the running one. The newest run per
 * domain is kept in memory for the domain page and the report (the final report stores it when the domain
 * completes); each finished run is also in the audit log (action {@code probes}), which survives a restart.
 * Logs: one INFO line per finished run with both verdicts. Passwords are never logged or shown.
 */
public final class PostCutoverProbes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostCutoverProbes.class);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final CutoverConfig config;
    private final Listeners listeners;
    private final String hostname;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, ProbeRun> latest = new ConcurrentHashMap<>();
    private volatile CredentialSource credentials = CredentialSource.UNKNOWN;
    private final ExecutorService runs = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "post-cutover-probes");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param hostname the relay's host name: the EHLO name and the right-hand side of the probe's Message-ID
     * @param clock the appliance's clock, for the times shown; waiting for mail uses real elapsed time
     */
    public PostCutoverProbes(CutoverConfig config, Listeners listeners, String hostname, AuditLog audit, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.hostname = hostname;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Installs where the new-server passwords come from (the sync wiring); any time, also after start. */
    public PostCutoverProbes credentials(CredentialSource source) {
        this.credentials = Objects.requireNonNull(source, "source");
        return this;
    }

    /** The newest run for the domain (running or done), if any ran since the appliance started. */
    public Optional<ProbeRun> latest(String domain) {
        return Optional.ofNullable(latest.get(key(domain)));
    }

    /** Called after the final sync pass of a cutover; does nothing when {@code probeAfterCutover} is off. */
    public void afterCutover(DomainPlan domain) {
        if (config.probeAfterCutover) {
            start(domain, Command.SYSTEM_USER);
        }
    }

    /** Starts a run in the background and returns it (state running), or the run already running. */
    public ProbeRun start(DomainPlan domain, String user) {
        ProbeRun[] started = new ProbeRun[1];
        ProbeRun run = latest.compute(key(domain.name()), (k, current) -> {
            if (current != null && current.running()) {
                return current;
            }
            started[0] = ProbeRun.started(domain.name(), user, clock.instant());
            return started[0];
        });
        if (started[0] != null) {
            runs.execute(() -> runQuietly(domain, started[0]));
        }
        return run;
    }

    private void runQuietly(DomainPlan domain, ProbeRun run) {
        ProbeRun done;
        try {
            done = run(domain, run);
        } catch (RuntimeException e) {
            LOG.warn("Post-cutover probes of {} failed: {}", domain.name(), e.toString(), e);
            Check failed = Check.fail(
                    ProbeRun.SEND_RECEIVE,
                    "the probes failed unexpectedly: " + e + "; see the appliance log and run them again");
            done = run.finished(clock.instant(), failed, Check.warn(ProbeRun.CREDENTIALS, "not run: " + e), List.of());
        }
        latest.put(key(domain.name()), done);
        LOG.info("Post-cutover probes of {} (requested by {}): {}", domain.name(), done.requestedBy(), done.summary());
        try {
            audit.record(
                    done.requestedBy(),
                    Optional.of(domain.name()),
                    "probes",
                    done.requestedBy().equals(Command.SYSTEM_USER) ? "after cutover" : "requested",
                    done.summary()
                            + done.messageId()
                                    .map(id -> " | test message " + id)
                                    .orElse(""));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Recording the post-cutover probes of {} in the audit log failed: {}", domain.name(), e.toString());
        }
    }

    private ProbeRun run(DomainPlan domain, ProbeRun run) {
        Optional<CutoverConfig.ProbeMailbox> mailbox = config.probeMailbox(domain.name());
        String messageId = ProbeMessage.messageId(UUID.randomUUID(), hostname);
        ProbeRun withId = mailbox.isPresent() ? run.withMessageId(messageId) : run;
        if (mailbox.isPresent()) {
            latest.put(key(domain.name()), withId);
        }
        ProbeVerdicts.Delivery delivery = mailbox.isEmpty()
                ? new ProbeVerdicts.Delivery.NotConfigured()
                : sendAndReceive(domain, mailbox.get(), messageId);
        Check sendReceive = ProbeVerdicts.sendReceive(domain.name(), delivery);
        List<MailboxLogin> logins;
        try {
            logins = List.copyOf(credentials.newServerLogins(domain.name()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "The credential source failed for {}; the credential check did not run: {}",
                    domain.name(),
                    e.toString());
            return withId.finished(
                    clock.instant(),
                    sendReceive,
                    ProbeVerdicts.credentialsUnknown(domain.name(), e.getClass().getSimpleName()),
                    List.of());
        }
        List<ProbeRun.LoginResult> tried = domain.target().imap().isEmpty()
                ? List.of()
                : tryLogins(domain.target().imap().get(), logins);
        Check credentialCheck = domain.target().imap().isEmpty() && !logins.isEmpty()
                ? Check.fail(
                        ProbeRun.CREDENTIALS,
                        "the plan has no new.imap server for " + domain.name()
                                + ": add it to check the new-server logins")
                : ProbeVerdicts.credentials(
                        domain.name(), credentials != CredentialSource.UNKNOWN, logins.size(), tried);
        return withId.finished(clock.instant(), sendReceive, credentialCheck, tried);
    }

    private ProbeVerdicts.Delivery sendAndReceive(
            DomainPlan domain, CutoverConfig.ProbeMailbox mailbox, String messageId) {
        if (domain.target().imap().isEmpty()) {
            return new ProbeVerdicts.Delivery.CannotRun("the plan has no new.imap server for " + domain.name()
                    + ", so the message cannot be looked for; add new.imap to the plan");
        }
        Listeners.Address relay = listeners.all().get("relay.smtp");
        if (relay == null) {
            return new ProbeVerdicts.Delivery.CannotRun("the relay is not running (relay.enabled: false, or it"
                    + " failed to start; see GET /api/v1/status)");
        }
        PlanImapUrl server = domain.target().imap().get();
        String host = relay.host().equals("0.0.0.0")
                        || relay.host().equals("::")
                        || relay.host().equals("0:0:0:0:0:0:0:0")
                ? "127.0.0.1"
                : relay.host();
        String address = mailbox.address.strip();
        String reply;
        long sentAt = System.nanoTime();
        try {
            reply = SmtpProbeClient.send(
                    host,
                    relay.port(),
                    hostname,
                    address,
                    ProbeMessage.build(domain.name(), address, messageId, clock.instant()),
                    IO_TIMEOUT);
        } catch (IOException e) {
            return new ProbeVerdicts.Delivery.NotSent(
                    host + ":" + relay.port(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        // Real elapsed time and real sleeps, not the appliance clock: the wait is for the network, and a test
        // clock stands still.
        long deadline = sentAt + config.probeTimeout.toNanoseconds();
        try (ImapProbeClient imap = ImapProbeClient.login(server, mailbox.newLogin, mailbox.newPassword, IO_TIMEOUT)) {
            while (true) {
                if (imap.inboxHas(messageId)) {
                    return new ProbeVerdicts.Delivery.Found(
                            address, server.toString(), Duration.ofNanos(System.nanoTime() - sentAt));
                }
                if (System.nanoTime() - deadline >= 0) {
                    return new ProbeVerdicts.Delivery.NotFound(
                            address,
                            server.toString(),
                            Duration.ofNanos(System.nanoTime() - sentAt),
                            "relay: " + reply);
                }
                Sleeper.SYSTEM.sleep(POLL);
            }
        } catch (AuthenticationFailedException e) {
            return new ProbeVerdicts.Delivery.LoginFailed(address, server.toString(), ImapProbeClient.describe(e));
        } catch (MessagingException e) {
            return new ProbeVerdicts.Delivery.CannotRun("looking for the test message on " + server + " as "
                    + mailbox.newLogin + " failed: " + ImapProbeClient.describe(e) + " (relay: " + reply + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeVerdicts.Delivery.CannotRun("the appliance stopped while waiting for the test message");
        }
    }

    /** Logs each in once; stops at the first connection failure (the server is gone, not the password). */
    private static List<ProbeRun.LoginResult> tryLogins(PlanImapUrl server, List<MailboxLogin> logins) {
        List<ProbeRun.LoginResult> results = new ArrayList<>();
        for (MailboxLogin login : logins) {
            try (ImapProbeClient ignored = ImapProbeClient.login(server, login.login(), login.password(), IO_TIMEOUT)) {
                results.add(new ProbeRun.LoginResult(login.mailbox(), true, "logged in as " + login.login()));
            } catch (AuthenticationFailedException e) {
                results.add(new ProbeRun.LoginResult(login.mailbox(), false, ImapProbeClient.describe(e)));
            } catch (MessagingException e) {
                LOG.warn(
                        "Credential check stopped at {}: {} did not answer: {}",
                        login,
                        server,
                        ImapProbeClient.describe(e));
                break;
            }
        }
        return results;
    }

    private static String key(String domain) {
        return domain.strip().toLowerCase(Locale.ROOT);
    }

    /** Stops waiting for running probes (they are not recorded). */
    @Override
    public void close() {
        runs.shutdownNow();
        try {
            runs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
