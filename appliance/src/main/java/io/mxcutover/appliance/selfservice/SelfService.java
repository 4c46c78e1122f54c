package io.mxcutover.appliance.selfservice;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.hook.Hooks;
import io.mxcutover.appliance.sync.SyncManaged;
import io.mxcutover.sync.credential.Secret;
import io.mxcutover.sync.mailbox.MailboxAddress;
import io.mxcutover.sync.report.MailboxReport;
import io.mxcutover.sync.state.FolderInventory;
import io.mxcutover.sync.state.FolderProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One self-service login: throttle, check on legacy, seal, set-password hook, start the copy, audit. The answer
 * to a wrong password, an address not in the plan and a legacy server that cannot be asked is one and the same
 * ({@link #REFUSED}), so the page does not tell who is in the plan.
 */
public final class SelfService {
    private static final Logger LOG = LoggerFactory.getLogger(SelfService.class);

    /** The one text for every refused login. */
    public static final String REFUSED = "The address or the password is not right (or the old server cannot check"
            + " it just now). Type the password of your old mailbox, or ask your administrator.";

    /** How a login ended. */
    public sealed interface Outcome permits Accepted, Refused, Throttled {}

    /** The password was right: a session for the page, and the user's progress. */
    public record Accepted(SelfServiceSessions.Session session, SelfServiceView view) implements Outcome {}

    /** Wrong password, unknown address, or the old server did not answer: {@link #REFUSED}. */
    public record Refused() implements Outcome {}

    /** Too many failures of this address or this client: try again after {@code retryAfter}. */
    public record Throttled(Duration retryAfter) implements Outcome {}

    private final SyncManaged sync;
    private final Hooks hooks;
    private final AuditLog audit;
    private final SelfServiceSessions sessions;
    private final SelfServiceThrottle perAddress;
    private final SelfServiceThrottle perClient;

    public SelfService(
            SelfServiceConfig config,
            SyncManaged sync,
            Hooks hooks,
            AuditLog audit,
            SelfServiceSessions sessions,
            Clock clock) {
        this.sync = sync;
        this.hooks = hooks;
        this.audit = audit;
        this.sessions = sessions;
        this.perAddress = new SelfServiceThrottle(config.policy(config.freeFailuresPerAddress), clock);
        this.perClient = new SelfServiceThrottle(config.policy(config.freeFailuresPerClient), clock);
    }

    public SelfServiceSessions sessions() {
        return sessions;
    }

    /** Never throws for a bad input; the password is not kept beyond this call unless it was right. */
    public Outcome login(String typedAddress, String password, String client) {
        String typed = typedAddress == null ? "" : typedAddress.strip().toLowerCase(Locale.ROOT);
        // A typed address is kept (throttle key, audit) at most this long: junk cannot grow them.
        String address = typed.length() > 320 ? typed.substring(0, 320) : typed;
        String addressKey = "address:" + address;
        String clientKey = "client:" + client;
        Optional<Duration> wait = longer(perAddress.waitFor(addressKey), perClient.waitFor(clientKey));
        if (wait.isPresent()) {
            record(address, client, "throttled: retry after " + wait.get().toSeconds() + " s");
            return new Throttled(wait.get());
        }
        SyncManaged.LegacyLogin check =
                MailboxAddress.problem(address).isPresent() || password == null || password.isEmpty()
                        ? SyncManaged.LegacyLogin.UNKNOWN_MAILBOX
                        : sync.checkLegacyLogin(address, Secret.of(password));
        switch (check) {
            case ACCEPTED -> {
                Secret secret = Secret.of(password);
                String domain = MailboxAddress.domainOf(address);
                Optional<Secret> target = Optional.empty();
                String newSide = "new server: the imported login (or the master user)";
                if (hooks.setsPasswords()) {
                    boolean set = hooks.setPassword(domain, address, secret);
                    target = set ? Optional.of(secret) : Optional.empty();
                    newSide = set
                            ? "new server: password set by the set-password hook"
                            : "new server: the set-password hook failed (see hook.failed), the imported login stays";
                }
                sync.userGavePassword(address, secret, target);
                perAddress.succeeded(addressKey);
                record(address, client, "accepted: password checked on legacy and sealed, copy started; " + newSide);
                return new Accepted(sessions.open(address), view(address));
            }
            case UNREACHABLE -> record(address, client, "refused: the legacy server could not check the login");
            case REFUSED -> {
                perAddress.failed(addressKey);
                perClient.failed(clientKey);
                record(address, client, "refused: wrong password");
            }
            case UNKNOWN_MAILBOX -> {
                perAddress.failed(addressKey);
                perClient.failed(clientKey);
                record(address, client, "refused: not a mailbox of the plan (or no password typed)");
            }
        }
        return new Refused();
    }

    /** The progress of the mailbox of a live session. */
    public SelfServiceView view(String address) {
        Optional<MailboxReport> report = sync.mailbox(address);
        if (report.isEmpty()) {
            return new SelfServiceView(address, "UNKNOWN", "", List.of(), 0, OptionalLong.empty(), Optional.empty());
        }
        MailboxReport r = report.get();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (FolderInventory f : sync.inventory(address)) {
            totals.put(f.sourceFolder(), f.messages());
        }
        Map<String, Long> copied = new LinkedHashMap<>();
        for (FolderProgress f : r.folders()) {
            copied.put(f.sourceFolder(), f.done());
        }
        List<SelfServiceView.Folder> folders = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(totals.keySet());
        names.addAll(copied.keySet());
        for (String name : names) {
            folders.add(new SelfServiceView.Folder(
                    name,
                    copied.getOrDefault(name, 0L),
                    totals.containsKey(name) ? OptionalLong.of(totals.get(name)) : OptionalLong.empty()));
        }
        String state = r.status().phase().name();
        return new SelfServiceView(
                address,
                state,
                SelfServiceView.explain(state),
                folders,
                r.messagesCopied(),
                r.messagesTotal(),
                r.status().finishedAt());
    }

    private void record(String address, String client, String outcome) {
        String domain = MailboxAddress.problem(address).isPresent() ? "" : MailboxAddress.domainOf(address);
        try {
            audit.record(
                    "self-service",
                    sync.planned(domain) ? Optional.of(domain) : Optional.empty(),
                    "selfservice.login",
                    outcome,
                    "address: " + address + "; client: " + client);
        } catch (RuntimeException e) {
            LOG.warn("self-service login of {} from {} ({}) not audited: {}", address, client, outcome, e.toString());
        }
        LOG.info("self-service login of {} from {}: {}", address, client, outcome);
    }

    private static Optional<Duration> longer(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().compareTo(b.get()) >= 0 ? a.get() : b.get());
    }
}
