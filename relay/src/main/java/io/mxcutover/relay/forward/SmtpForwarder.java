package io.mxcutover.relay.forward;

import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one message to one route's targets and reports an {@link Outcome} per recipient.
 * Not thread-safe: each delivery worker owns one forwarder and its cached connections.
 */
public final class SmtpForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpForwarder.class);

    public enum OutboundTls {
        OFF,
        OPPORTUNISTIC,
        REQUIRED
    }

    /**
     * Client settings; all timeouts finite.
     *
     * @param tls     STARTTLS level for next hops without their own policy
     * @param targets per next hop: STARTTLS level and AUTH credentials
     */
    public record Settings(
            String heloName,
            Duration connectTimeout,
            Duration readTimeout,
            OutboundTls tls,
            Duration reuseIdle,
            int maxMessagesPerConnection,
            Map<NextHop, TargetPolicy> targets) {
        public Settings {
            Objects.requireNonNull(heloName, "heloName");
            Objects.requireNonNull(tls, "tls");
            targets = Map.copyOf(targets);
            if (connectTimeout.isZero()
                    || connectTimeout.isNegative()
                    || readTimeout.isZero()
                    || readTimeout.isNegative()) {
                throw new IllegalArgumentException("SMTP client timeouts must be positive (infinite is not allowed)");
            }
            if (maxMessagesPerConnection < 1) {
                throw new IllegalArgumentException("maxMessagesPerConnection must be at least 1");
            }
        }

        public static Settings defaults(String heloName) {
            return new Settings(
                    heloName,
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(5),
                    OutboundTls.OPPORTUNISTIC,
                    Duration.ofSeconds(10),
                    1000,
                    Map.of());
        }

        /** The policy for {@code target}: its own, or the global STARTTLS level without AUTH. */
        public TargetPolicy policy(NextHop target) {
            TargetPolicy p = targets.get(target);
            return p != null ? p : TargetPolicy.of(tls);
        }
    }

    private static final class Connection {
        final SMTPTransport transport;
        Instant lastUsed;
        int messages;

        Connection(SMTPTransport transport, Instant now) {
            this.transport = transport;
            this.lastUsed = now;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final Predicate<NextHop> isSelf;
    private final ScheduledThreadPoolExecutor writeTimeouts;
    /** One cached connection per next hop and encoding: SMTPUTF8 messages travel on their own. */
    private record Hop(NextHop target, boolean utf8) {}

    private final Map<Hop, Connection> connections = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();

    /**
     * @param isSelf true for a target that is this relay's own listener (refused: mail loop)
     * @param writeTimeouts shared scheduler for Angus's write timeouts (one thread for all workers)
     */
    public SmtpForwarder(
            Settings settings, Clock clock, Predicate<NextHop> isSelf, ScheduledThreadPoolExecutor writeTimeouts) {
        this.settings = settings;
        this.clock = clock;
        this.isSelf = isSelf;
        this.writeTimeouts = writeTimeouts;
    }

    /**
     * Delivers the message to {@code recipients}, trying {@code targets} in order: a target that
     * cannot be reached or refuses the session is skipped; the first target that answers the
     * transaction decides. A {@code smtputf8} message goes only to a target that offers SMTPUTF8
     * (with the parameter, addresses in UTF-8); a target without it counts as refusing the
     * session with 5.6.7 ({@link DeliveryFailurePolicy#withoutSmtpUtf8}). Any other message is sent on a
     * connection whose commands are ASCII: its addresses are ASCII by construction
     * ({@link io.mxcutover.relay.smtp.Envelope}), so nothing is ever cut to one byte per character.
     * {@code eightBitMime}: the client declared BODY=8BITMIME; it is passed on when the target
     * offers 8BITMIME (the bytes go unchanged either way).
     */
    public Map<MailAddress, Outcome> deliver(
            String reversePath,
            List<MailAddress> recipients,
            List<NextHop> targets,
            boolean softBounce,
            boolean smtputf8,
            boolean eightBitMime,
            SpooledMessage.Source source) {
        Map<MailAddress, Outcome> result = new LinkedHashMap<>();
        if (targets.isEmpty()) {
            recipients.forEach(r -> result.put(r, Outcome.Deferred.alert("no targets to deliver to")));
            return result;
        }
        Outcome lastSessionFailure = null;
        for (NextHop target : targets) {
            if (isSelf.test(target)) {
                LOG.error(
                        "mail loop refused: target {} is this relay's own SMTP listener; fix the domain's "
                                + "targets in the migration plan (recipients {})",
                        target,
                        recipients);
                lastSessionFailure = Outcome.Deferred.alert(
                        "target " + target + " is this relay itself (mail loop refused); fix the plan's targets");
                continue;
            }
            Attempt attempt =
                    attempt(new Hop(target, smtputf8), reversePath, recipients, softBounce, eightBitMime, source);
            if (attempt.sessionFailure().isPresent()) {
                lastSessionFailure = attempt.sessionFailure().get();
                LOG.info("target {} unusable ({}); trying next target if any", target, lastSessionFailure.summary());
                continue;
            }
            result.putAll(attempt.outcomes());
            return result;
        }
        Outcome failure = lastSessionFailure;
        recipients.forEach(r -> result.put(r, failure));
        return result;
    }

    private record Attempt(Optional<Outcome> sessionFailure, Map<MailAddress, Outcome> outcomes) {
        static Attempt session(Outcome o) {
            return new Attempt(Optional.of(o), Map.of());
        }
    }

    private Attempt attempt(
            Hop hop,
            String reversePath,
            List<MailAddress> recipients,
            boolean softBounce,
            boolean eightBitMime,
            SpooledMessage.Source source) {
        NextHop target = hop.target();
        String t = target.toString();
        Map<String, MailAddress> byAddress = new HashMap<>();
        Address[] addrs = new Address[recipients.size()];
        for (int i = 0; i < recipients.size(); i++) {
            InternetAddress ia = new InternetAddress();
            ia.setAddress(recipients.get(i).toString());
            addrs[i] = ia;
            byAddress.put(recipients.get(i).toString(), recipients.get(i));
        }
        for (int round = 0; round < 2; round++) {
            Connection conn;
            boolean reused;
            try {
                reused = connections.containsKey(hop);
                conn = connection(hop);
            } catch (Misconfigured e) {
                LOG.warn("cannot deliver to {}: {}", t, e.getMessage());
                return Attempt.session(Outcome.Deferred.alert(e.getMessage()));
            } catch (MessagingException e) {
                Optional<SmtpReply> reply = replyOf(e);
                return Attempt.session(reply.map(r ->
                                DeliveryFailurePolicy.classify(r, DeliveryFailurePolicy.Scope.SESSION, t, softBounce))
                        .orElseGet(() -> DeliveryFailurePolicy.classify(e, t)));
            }
            if (hop.utf8() && !conn.transport.supportsExtension("SMTPUTF8")) {
                Outcome o = DeliveryFailurePolicy.withoutSmtpUtf8(t, softBounce);
                LOG.warn(
                        "{} does not offer SMTPUTF8; a message to {} needs it and is not sent there ({})",
                        t,
                        recipients,
                        o.summary());
                return Attempt.session(o);
            }
            SpooledMessage msg = new SpooledMessage(
                    sessionFor(hop, settings.policy(target).tls() != OutboundTls.OFF), source, reversePath);
            if (eightBitMime && conn.transport.supportsExtension("8BITMIME")) {
                msg.setMailExtension("BODY=8BITMIME");
            }
            try {
                conn.transport.sendMessage(msg, addrs);
                conn.lastUsed = clock.instant();
                conn.messages++;
                SmtpReply ok =
                        SmtpReply.parse(conn.transport.getLastReturnCode(), conn.transport.getLastServerResponse());
                Map<MailAddress, Outcome> out = new LinkedHashMap<>();
                recipients.forEach(r -> out.put(r, new Outcome.Delivered(t, ok)));
                retireIfUsedUp(hop, conn);
                return new Attempt(Optional.empty(), out);
            } catch (SendFailedException e) {
                conn.lastUsed = clock.instant();
                conn.messages++;
                Map<MailAddress, Outcome> out = perRecipient(e, conn, t, softBounce, byAddress, recipients);
                if (!conn.transport.isConnected()) {
                    drop(hop);
                }
                return new Attempt(Optional.empty(), out);
            } catch (MessagingException e) {
                drop(hop);
                if (reused && round == 0) {
                    // A cached connection the target closed while idle: retry once on a fresh one.
                    LOG.debug("cached connection to {} failed ({}); reconnecting", t, e.toString());
                    continue;
                }
                Optional<SmtpReply> reply = replyOf(e);
                Outcome o = reply.map(r ->
                                DeliveryFailurePolicy.classify(r, DeliveryFailurePolicy.Scope.MESSAGE, t, softBounce))
                        .orElseGet(() -> DeliveryFailurePolicy.classify(e, t));
                if (reply.isEmpty()) {
                    return Attempt.session(o);
                }
                Map<MailAddress, Outcome> out = new LinkedHashMap<>();
                recipients.forEach(r -> out.put(r, o));
                return new Attempt(Optional.empty(), out);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private Map<MailAddress, Outcome> perRecipient(
            SendFailedException e,
            Connection conn,
            String t,
            boolean softBounce,
            Map<String, MailAddress> byAddress,
            List<MailAddress> recipients) {
        Map<MailAddress, Outcome> out = new LinkedHashMap<>();
        Map<String, SmtpReply> rcptReplies = new HashMap<>();
        for (Exception x = e; x != null; x = x instanceof MessagingException me ? me.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException af) {
                rcptReplies.put(af.getAddress().getAddress(), SmtpReply.parse(af.getReturnCode(), af.getMessage()));
            }
        }
        Optional<SmtpReply> messageReply = e instanceof SMTPSendFailedException sf && sf.getReturnCode() >= 200
                ? Optional.of(SmtpReply.parse(sf.getReturnCode(), sf.getMessage()))
                : Optional.empty();
        if (e.getValidSentAddresses() != null) {
            SmtpReply ok = SmtpReply.parse(conn.transport.getLastReturnCode(), conn.transport.getLastServerResponse());
            for (Address a : e.getValidSentAddresses()) {
                MailAddress r = byAddress.get(((InternetAddress) a).getAddress());
                if (r != null) {
                    out.put(r, new Outcome.Delivered(t, ok.isPositive() ? ok : SmtpReply.of(250, "", "accepted")));
                }
            }
        }
        if (e.getInvalidAddresses() != null) {
            for (Address a : e.getInvalidAddresses()) {
                String addr = ((InternetAddress) a).getAddress();
                MailAddress r = byAddress.get(addr);
                SmtpReply reply = rcptReplies.get(addr);
                if (r != null) {
                    out.put(
                            r,
                            reply != null
                                    ? DeliveryFailurePolicy.classify(
                                            reply, DeliveryFailurePolicy.Scope.RECIPIENT, t, softBounce)
                                    : Outcome.Deferred.of(t + " refused the recipient without a reply code"));
                }
            }
        }
        for (MailAddress r : recipients) {
            if (!out.containsKey(r)) {
                SmtpReply reply = rcptReplies.get(r.toString());
                if (reply != null) {
                    out.put(
                            r,
                            DeliveryFailurePolicy.classify(
                                    reply, DeliveryFailurePolicy.Scope.RECIPIENT, t, softBounce));
                } else if (messageReply.isPresent()) {
                    out.put(
                            r,
                            DeliveryFailurePolicy.classify(
                                    messageReply.get(), DeliveryFailurePolicy.Scope.MESSAGE, t, softBounce));
                } else {
                    out.put(r, Outcome.Deferred.of("not sent to " + t + ": " + e.getMessage()));
                }
            }
        }
        return out;
    }

    private static Optional<SmtpReply> replyOf(MessagingException e) {
        if (e instanceof SMTPSendFailedException sf && sf.getReturnCode() >= 200) {
            return Optional.of(SmtpReply.parse(sf.getReturnCode(), sf.getMessage()));
        }
        if (e instanceof SMTPAddressFailedException af && af.getReturnCode() >= 200) {
            return Optional.of(SmtpReply.parse(af.getReturnCode(), af.getMessage()));
        }
        // Angus reports a refused greeting/EHLO as a plain MessagingException whose text starts
        // with the reply ("Could not connect ... response: 554"); treat those as no reply.
        return Optional.empty();
    }

    private Connection connection(Hop hop) throws MessagingException {
        Instant now = clock.instant();
        Connection c = connections.get(hop);
        if (c != null) {
            if (Duration.between(c.lastUsed, now).compareTo(settings.reuseIdle()) <= 0) {
                return c;
            }
            drop(hop);
        }
        SMTPTransport transport = open(hop, settings.policy(hop.target()).tls() != OutboundTls.OFF);
        c = new Connection(transport, now);
        connections.put(hop, c);
        return c;
    }

    private SMTPTransport open(Hop hop, boolean tls) throws MessagingException {
        NextHop target = hop.target();
        TargetPolicy policy = settings.policy(target);
        SMTPTransport transport = (SMTPTransport) sessionFor(hop, tls).getTransport("smtp");
        try {
            // Angus authenticates after STARTTLS, and only when a user name is given here.
            transport.connect(
                    target.host(),
                    target.port(),
                    policy.username().orElse(null),
                    policy.password().orElse(null));
            return transport;
        } catch (AuthenticationFailedException e) {
            // The server's reply, the user name, never the password.
            throw new Misconfigured("SMTP AUTH as " + policy.username().orElse("?") + " refused by " + target + " ("
                    + oneLine(e.getMessage()) + "); check the credentials under relay.targets for " + target);
        } catch (MessagingException e) {
            if (policy.tls() == OutboundTls.REQUIRED
                    && String.valueOf(e.getMessage()).contains("STARTTLS is required")) {
                throw new Misconfigured(target + " offers no STARTTLS but TLS is required for it"
                        + (policy.authenticates() ? " (AUTH is only sent over TLS)" : "")
                        + "; enable STARTTLS on the target or change its tls under relay.targets");
            }
            boolean tlsTrouble = hasCause(e, javax.net.ssl.SSLException.class);
            if (tls && tlsTrouble && policy.tls() == OutboundTls.OPPORTUNISTIC) {
                LOG.warn(
                        "STARTTLS with {} failed ({}); sending in plaintext (outbound TLS is opportunistic)",
                        target,
                        e.getMessage());
                SMTPTransport plain = (SMTPTransport) sessionFor(hop, false).getTransport("smtp");
                plain.connect(target.host(), target.port(), null, null);
                return plain;
            }
            throw e;
        }
    }

    /** The target refused because of how it or the relay is set up: retrying alone will not help. */
    private static final class Misconfigured extends MessagingException {
        Misconfigured(String message) {
            super(message);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "no reply" : s.replace('\r', ' ').replace('\n', ' ').strip();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private Session sessionFor(Hop hop, boolean tls) {
        NextHop target = hop.target();
        return sessions.computeIfAbsent(target + "|" + tls + "|" + hop.utf8(), k -> {
            Properties p = new Properties();
            // Angus writes commands as UTF-8 with this, else each char cut to one byte (ASCIIUtility),
            // and adds SMTPUTF8 to MAIL FROM when the target offers it. Only SMTPUTF8 messages use it.
            p.put("mail.mime.allowutf8", String.valueOf(hop.utf8()));
            p.put("mail.smtp.host", target.host());
            p.put("mail.smtp.port", String.valueOf(target.port()));
            p.put("mail.smtp.localhost", settings.heloName());
            p.put(
                    "mail.smtp.connectiontimeout",
                    String.valueOf(settings.connectTimeout().toMillis()));
            p.put("mail.smtp.timeout", String.valueOf(settings.readTimeout().toMillis()));
            p.put(
                    "mail.smtp.writetimeout",
                    String.valueOf(settings.readTimeout().toMillis()));
            if (writeTimeouts != null) {
                p.put("mail.smtp.executor.writetimeout", writeTimeouts);
            }
            p.put("mail.smtp.sendpartial", "true");
            p.put("mail.smtp.quitwait", "false");
            p.put("mail.smtp.ehlo", "true");
            TargetPolicy policy = settings.policy(target);
            if (policy.authenticates()) {
                p.put("mail.smtp.auth", "true");
                p.put("mail.smtp.auth.mechanisms", "PLAIN LOGIN");
            }
            if (tls) {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", String.valueOf(policy.tls() == OutboundTls.REQUIRED));
                // Like Postfix's "may" level: encrypt when offered, do not verify the certificate
                // (next hops inside a migration commonly use self-signed certificates).
                p.put("mail.smtp.ssl.trust", target.host());
                p.put("mail.smtp.ssl.checkserveridentity", "false");
                p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
            }
            return Session.getInstance(p);
        });
    }

    private void retireIfUsedUp(Hop hop, Connection c) {
        if (c.messages >= settings.maxMessagesPerConnection()) {
            drop(hop);
        }
    }

    /** Closes connections idle longer than the reuse time; call now and then. */
    public void closeIdle() {
        Instant now = clock.instant();
        List.copyOf(connections.keySet()).forEach(t -> {
            Connection c = connections.get(t);
            if (Duration.between(c.lastUsed, now).compareTo(settings.reuseIdle()) > 0) {
                drop(t);
            }
        });
    }

    private void drop(Hop target) {
        Connection c = connections.remove(target);
        if (c != null) {
            try {
                c.transport.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("closing connection to {}: {}", target, e.toString());
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(connections.keySet()).forEach(this::drop);
    }
}
