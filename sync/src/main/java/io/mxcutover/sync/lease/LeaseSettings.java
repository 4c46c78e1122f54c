package io.mxcutover.sync.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a node shares the sync work with the other nodes of one store: its id (unique among them), how long a
 * lease lasts without renewal (a dead node's mailboxes are taken over after this), and how many connections all
 * the nodes together may hold to one legacy and to one new IMAP server ({@code host:port}).
 */
public record LeaseSettings(String node, Duration period, int maxLegacyConnections, int maxNewConnections) {
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public LeaseSettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(period, "period");
        if (!NODE.matcher(node).matches()) {
            throw new IllegalArgumentException(
                    "node id must be 1..64 letters, digits, '.', '-' or '_', got '" + node + "'");
        }
        if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("lease period must be 1 s .. 1 h, got " + period);
        }
        if (maxLegacyConnections < 1 || maxNewConnections < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1, got legacy " + maxLegacyConnections
                    + ", new " + maxNewConnections);
        }
    }

    /** The appliance's defaults: leases of 30 s, 40 connections per server across the nodes. */
    public static LeaseSettings of(String node) {
        return new LeaseSettings(node, Duration.ofSeconds(30), 40, 40);
    }
}
