package io.mxcutover.relay;

import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.forward.SmtpForwarder.OutboundTls;
import io.mxcutover.relay.forward.TargetPolicy;
import io.mxcutover.relay.intake.Intake.BareLineEndings;
import io.mxcutover.relay.intake.TlsProvider;
import io.mxcutover.relay.route.NextHop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the relay needs to run. Defaults ({@link #builder(Path)}) follow Postfix where it
 * has an equivalent: 10 MB messages ({@code message_size_limit} is 10240000), 1000 recipients,
 * 50 connections per client, 300 s idle ({@code smtpd_timeout}), retry 5 min .. 4000 s for
 * 5 days, delay warning after 4 h, 50 Received headers.
 *
 * @param tlsKeystore         PKCS12 keystore with the certificate for STARTTLS; empty = no STARTTLS
 * @param tlsKeystorePassword never logged ({@link #toString()} masks it)
 * @param tlsProvider         the TLS implementation of inbound STARTTLS (BoringSSL where it loads)
 * @param minFreeSpace        refuse new mail with 452 when the spool file system has less free
 * @param bounceRelay         smart host(s) for bounces to senders outside the migrated domains
 * @param targetPolicies      per next hop: STARTTLS level and optional AUTH credentials (others use
 *                            {@code outboundTls} without AUTH); passwords never logged
 */
public record RelaySettings(
        String listenAddress,
        int port,
        String hostname,
        long maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerClient,
        Duration idleTimeout,
        Duration sessionDeadline,
        Path spoolDirectory,
        long minFreeSpace,
        int deliveryWorkers,
        RetrySchedule retry,
        Optional<Path> tlsKeystore,
        Optional<String> tlsKeystorePassword,
        TlsProvider tlsProvider,
        boolean recipientCallout,
        BareLineEndings bareLineEndings,
        int maxReceivedHeaders,
        Duration connectTimeout,
        Duration readTimeout,
        OutboundTls outboundTls,
        List<NextHop> bounceRelay,
        Map<NextHop, TargetPolicy> targetPolicies) {

    public RelaySettings {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(tlsKeystore, "tlsKeystore");
        Objects.requireNonNull(tlsKeystorePassword, "tlsKeystorePassword");
        Objects.requireNonNull(tlsProvider, "tlsProvider");
        Objects.requireNonNull(bareLineEndings, "bareLineEndings");
        Objects.requireNonNull(outboundTls, "outboundTls");
        bounceRelay = List.copyOf(bounceRelay);
        targetPolicies = Map.copyOf(targetPolicies);
        if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("relay hostname must be a host name, got '" + hostname + "'");
        }
        if (deliveryWorkers < 1) {
            throw new IllegalArgumentException("deliveryWorkers must be at least 1");
        }
        if (sessionDeadline.isNegative() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive and the session deadline not negative");
        }
        if (tlsKeystore.isPresent() && tlsKeystorePassword.isEmpty()) {
            throw new IllegalArgumentException("tlsKeystore " + tlsKeystore.get() + " needs tlsKeystorePassword");
        }
    }

    public static Builder builder(Path spoolDirectory) {
        return new Builder(spoolDirectory);
    }

    public Builder toBuilder() {
        Builder b = new Builder(spoolDirectory);
        b.listenAddress = listenAddress;
        b.port = port;
        b.hostname = hostname;
        b.maxMessageSize = maxMessageSize;
        b.maxRecipients = maxRecipients;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerClient = maxConnectionsPerClient;
        b.idleTimeout = idleTimeout;
        b.sessionDeadline = sessionDeadline;
        b.minFreeSpace = minFreeSpace;
        b.deliveryWorkers = deliveryWorkers;
        b.retry = retry;
        b.tlsKeystore = tlsKeystore;
        b.tlsKeystorePassword = tlsKeystorePassword;
        b.tlsProvider = tlsProvider;
        b.recipientCallout = recipientCallout;
        b.bareLineEndings = bareLineEndings;
        b.maxReceivedHeaders = maxReceivedHeaders;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.outboundTls = outboundTls;
        b.bounceRelay = bounceRelay;
        b.targetPolicies = new LinkedHashMap<>(targetPolicies);
        return b;
    }

    @Override
    public String toString() {
        return "RelaySettings[listen=" + listenAddress + ":" + port + ", hostname=" + hostname + ", maxMessageSize="
                + maxMessageSize + ", maxRecipients=" + maxRecipients + ", maxConnections=" + maxConnections
                + ", maxConnectionsPerClient=" + maxConnectionsPerClient + ", idleTimeout=" + idleTimeout
                + ", sessionDeadline=" + sessionDeadline + ", spool=" + spoolDirectory + ", workers=" + deliveryWorkers
                + ", retry=" + retry + ", tlsKeystore=" + tlsKeystore + ", tlsKeystorePassword="
                + (tlsKeystorePassword.isPresent() ? "****" : "none") + ", tlsProvider=" + tlsProvider + ", callout="
                + recipientCallout
                + ", bareLineEndings=" + bareLineEndings + ", outboundTls=" + outboundTls
                + (targetPolicies.isEmpty() ? "" : ", targets=" + targetPolicies) + "]";
    }

    /** Fluent builder with Postfix-like defaults. */
    public static final class Builder {
        private final Path spoolDirectory;
        private String listenAddress = "0.0.0.0";
        private int port = 25;
        private String hostname = "localhost";
        private long maxMessageSize = 10_240_000;
        private int maxRecipients = 1000;
        private int maxConnections = 200;
        private int maxConnectionsPerClient = 50;
        private Duration idleTimeout = Duration.ofSeconds(300);
        private Duration sessionDeadline = Duration.ofMinutes(30);
        private long minFreeSpace = 100L * 1024 * 1024;
        private int deliveryWorkers = 16;
        private RetrySchedule retry = RetrySchedule.DEFAULT;
        private Optional<Path> tlsKeystore = Optional.empty();
        private Optional<String> tlsKeystorePassword = Optional.empty();
        private TlsProvider tlsProvider = TlsProvider.AUTO;
        private boolean recipientCallout = false;
        private BareLineEndings bareLineEndings = BareLineEndings.REJECT;
        private int maxReceivedHeaders = 50;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofMinutes(5);
        private OutboundTls outboundTls = OutboundTls.OPPORTUNISTIC;
        private List<NextHop> bounceRelay = List.of();
        private Map<NextHop, TargetPolicy> targetPolicies = new LinkedHashMap<>();

        private Builder(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
        }

        public Builder listen(String address, int listenPort) {
            this.listenAddress = address;
            this.port = listenPort;
            return this;
        }

        public Builder hostname(String v) {
            this.hostname = v;
            return this;
        }

        public Builder maxMessageSize(long v) {
            this.maxMessageSize = v;
            return this;
        }

        public Builder maxRecipients(int v) {
            this.maxRecipients = v;
            return this;
        }

        public Builder maxConnections(int v) {
            this.maxConnections = v;
            return this;
        }

        public Builder maxConnectionsPerClient(int v) {
            this.maxConnectionsPerClient = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            this.idleTimeout = v;
            return this;
        }

        public Builder sessionDeadline(Duration v) {
            this.sessionDeadline = v;
            return this;
        }

        public Builder minFreeSpace(long v) {
            this.minFreeSpace = v;
            return this;
        }

        public Builder deliveryWorkers(int v) {
            this.deliveryWorkers = v;
            return this;
        }

        public Builder retry(RetrySchedule v) {
            this.retry = v;
            return this;
        }

        public Builder tls(Path keystore, String password) {
            this.tlsKeystore = Optional.of(keystore);
            this.tlsKeystorePassword = Optional.of(password);
            return this;
        }

        public Builder tlsProvider(TlsProvider v) {
            this.tlsProvider = v;
            return this;
        }

        public Builder recipientCallout(boolean v) {
            this.recipientCallout = v;
            return this;
        }

        public Builder bareLineEndings(BareLineEndings v) {
            this.bareLineEndings = v;
            return this;
        }

        public Builder maxReceivedHeaders(int v) {
            this.maxReceivedHeaders = v;
            return this;
        }

        public Builder clientTimeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        public Builder outboundTls(OutboundTls v) {
            this.outboundTls = v;
            return this;
        }

        public Builder bounceRelay(List<NextHop> v) {
            this.bounceRelay = v;
            return this;
        }

        /** STARTTLS level and optional AUTH for one next hop. */
        public Builder targetPolicy(NextHop target, TargetPolicy policy) {
            this.targetPolicies.put(target, policy);
            return this;
        }

        public RelaySettings build() {
            return new RelaySettings(
                    listenAddress,
                    port,
                    hostname,
                    maxMessageSize,
                    maxRecipients,
                    maxConnections,
                    maxConnectionsPerClient,
                    idleTimeout,
                    sessionDeadline,
                    spoolDirectory,
                    minFreeSpace,
                    deliveryWorkers,
                    retry,
                    tlsKeystore,
                    tlsKeystorePassword,
                    tlsProvider,
                    recipientCallout,
                    bareLineEndings,
                    maxReceivedHeaders,
                    connectTimeout,
                    readTimeout,
                    outboundTls,
                    bounceRelay,
                    targetPolicies);
        }
    }
}
