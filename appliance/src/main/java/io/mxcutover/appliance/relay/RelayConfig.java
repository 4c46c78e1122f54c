package io.mxcutover.appliance.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.forward.SmtpForwarder.OutboundTls;
import io.mxcutover.relay.forward.TargetPolicy;
import io.mxcutover.relay.intake.Intake.BareLineEndings;
import io.mxcutover.relay.intake.TlsProvider;
import io.mxcutover.relay.route.NextHop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code relay:} section of the service YAML. Every field has a production default (Postfix's
 * where there is one); the section may be omitted.
 */
public class RelayConfig {

    /** false: no SMTP listener, no delivery; the queue API answers 503. */
    @JsonProperty
    public boolean enabled = true;

    /** Address to listen on ({@code 0.0.0.0} = all IPv4 interfaces). */
    @JsonProperty
    public String listen = "0.0.0.0";

    /** SMTP port; 0 picks a free one (tests); GET /api/v1/status shows the real one. */
    @JsonProperty
    public int port = 25;

    /** Name in the banner, EHLO, Received headers and bounces. */
    @JsonProperty
    public String hostname = "localhost";

    /** Spool directory (incoming/, active/, deferred/, hold/, corrupt/, status/, recycle/). */
    @JsonProperty
    public String spool = "var/spool";

    @JsonProperty
    public long maxMessageSize = 10_240_000;

    @JsonProperty
    public int maxRecipients = 1000;

    @JsonProperty
    public int maxConnections = 200;

    @JsonProperty
    public int maxConnectionsPerClient = 50;

    /** Per read; a silent client is dropped after this. */
    @JsonProperty
    public Duration idleTimeout = Duration.seconds(300);

    /** Hard limit on a whole SMTP session, however the client trickles. */
    @JsonProperty
    public Duration sessionDeadline = Duration.minutes(30);

    @JsonProperty
    public int deliveryWorkers = 16;

    /** New mail gets 452 when the spool's file system has less free space than this (bytes). */
    @JsonProperty
    public long minFreeSpace = 100L * 1024 * 1024;

    @JsonProperty
    public Duration minBackoff = Duration.minutes(5);

    @JsonProperty
    public Duration maxBackoff = Duration.seconds(4000);

    /**
     * How often this node publishes a summary of its queue to a PostgreSQL store, for the other nodes'
     * {@code GET /api/v1/queue} (docs/scale-out.md); unused on SQLite.
     */
    @JsonProperty
    public Duration queuePublishInterval = Duration.seconds(10);

    /** Give up (bounce) after this long in the queue. */
    @JsonProperty
    public Duration maxLifetime = Duration.days(5);

    /** Tell the sender once that the message is delayed (0 = never). */
    @JsonProperty
    public Duration delayWarning = Duration.hours(4);

    /** PKCS12 keystore with the certificate for STARTTLS; empty = no STARTTLS. */
    @JsonProperty
    public String tlsKeystore = "";

    /** Password of tlsKeystore (use ${ENV_VAR} substitution; never logged). */
    @JsonProperty
    public String tlsKeystorePassword = "";

    /**
     * TLS implementation of inbound STARTTLS: "auto" (BoringSSL through Conscrypt where its native library loads,
     * else the JDK's, with a warning), "native" (BoringSSL or no start) or "jdk".
     */
    @JsonProperty
    public String tlsProvider = "auto";

    /** Verify unknown recipients by an RCPT callout to the current target when the plan lists no mailboxes. */
    @JsonProperty
    public boolean recipientCallout = false;

    /** "reject" (550 5.6.11) or "normalize" (to CRLF) bare CR/LF inside DATA. */
    @JsonProperty
    public String bareLineEndings = "reject";

    /** "opportunistic", "required" or "off": STARTTLS toward legacy/new servers. */
    @JsonProperty
    public String outboundTls = "opportunistic";

    /** Smart host(s) {@code host:port} for bounces to senders outside the migrated domains. */
    @JsonProperty
    public List<String> bounceRelay = new ArrayList<>();

    /**
     * Per next hop ({@code host:port} exactly as in the plan): STARTTLS level and optional AUTH
     * credentials. Hops not listed use {@link #outboundTls} without AUTH.
     */
    @JsonProperty
    public Map<String, TargetConfig> targets = new LinkedHashMap<>();

    /** One entry of {@code relay.targets}. */
    public static class TargetConfig {
        /** "opportunistic", "required" or "off"; empty = relay.outboundTls ("required" when AUTH is set). */
        @JsonProperty
        public String tls = "";

        /** SMTP AUTH (PLAIN or LOGIN, only over TLS) user name; empty = no AUTH. */
        @JsonProperty
        public String username = "";

        /** SMTP AUTH password (use ${ENV_VAR} substitution; never logged). */
        @JsonProperty
        public String password = "";

        TargetPolicy toPolicy(OutboundTls fallback) {
            OutboundTls level = tls == null || tls.isBlank()
                    ? (username == null || username.isBlank() ? fallback : OutboundTls.REQUIRED)
                    : tlsLevel("relay.targets.*.tls", tls);
            return new TargetPolicy(level, Optional.ofNullable(username), Optional.ofNullable(password));
        }

        @Override
        public String toString() {
            return "TargetConfig[tls=" + tls + ", username=" + username + ", password=****]";
        }
    }

    /**
     * What {@link #toSettings} would refuse, one sentence per key with the fix (an empty list: none), for
     * {@code ./mxcutover check}. Never a password.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        try {
            bareLineEndings();
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
        try {
            tlsLevel("relay.outboundTls", outboundTls);
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
        try {
            // "native" where BoringSSL does not load: the relay would not start
            if (TlsProvider.parse("relay.tlsProvider", tlsProvider) == TlsProvider.NATIVE) {
                TlsProvider.NATIVE.useNative(TlsProvider.nativeUnavailable());
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.add(e.getMessage());
        }
        targets.forEach((hop, t) -> {
            if (t.tls != null && !t.tls.isBlank()) {
                try {
                    tlsLevel("relay.targets.\"" + hop + "\".tls", t.tls);
                } catch (IllegalArgumentException e) {
                    out.add(e.getMessage());
                }
            }
        });
        if (out.isEmpty()) {
            try {
                toSettings();
            } catch (RuntimeException e) {
                out.add("relay: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * "opportunistic", "required" or "off", in any case. YAML 1.1 reads an unquoted {@code off} as the
     * boolean false, which reaches this string as "false": that is taken as off.
     */
    static OutboundTls tlsLevel(String key, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "opportunistic" -> OutboundTls.OPPORTUNISTIC;
            case "required" -> OutboundTls.REQUIRED;
            case "off", "false" -> OutboundTls.OFF;
            default ->
                throw new IllegalArgumentException(
                        key + ": '" + value + "' is not a TLS level;" + " write opportunistic, required or off");
        };
    }

    private BareLineEndings bareLineEndings() {
        String v = bareLineEndings == null ? "" : bareLineEndings.strip().toUpperCase(Locale.ROOT);
        try {
            return BareLineEndings.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "relay.bareLineEndings: '" + bareLineEndings + "' is not known;" + " write reject or normalize");
        }
    }

    public RelaySettings toSettings() {
        RelaySettings.Builder b = RelaySettings.builder(Path.of(spool))
                .listen(listen, port)
                .hostname(hostname)
                .maxMessageSize(maxMessageSize)
                .maxRecipients(maxRecipients)
                .maxConnections(maxConnections)
                .maxConnectionsPerClient(maxConnectionsPerClient)
                .idleTimeout(idleTimeout.toJavaDuration())
                .sessionDeadline(sessionDeadline.toJavaDuration())
                .deliveryWorkers(deliveryWorkers)
                .minFreeSpace(minFreeSpace)
                .retry(new RetrySchedule(
                        minBackoff.toJavaDuration(),
                        maxBackoff.toJavaDuration(),
                        maxLifetime.toJavaDuration(),
                        delayWarning.toJavaDuration()))
                .recipientCallout(recipientCallout)
                .bareLineEndings(bareLineEndings())
                .outboundTls(tlsLevel("relay.outboundTls", outboundTls))
                .bounceRelay(bounceRelay.stream().map(NextHop::of).toList());
        OutboundTls fallback = tlsLevel("relay.outboundTls", outboundTls);
        targets.forEach((hop, t) -> b.targetPolicy(NextHop.of(hop), t.toPolicy(fallback)));
        if (tlsKeystore != null && !tlsKeystore.isBlank()) {
            b.tls(Path.of(tlsKeystore), tlsKeystorePassword == null ? "" : tlsKeystorePassword);
        }
        b.tlsProvider(TlsProvider.parse("relay.tlsProvider", tlsProvider));
        return b.build();
    }
}
