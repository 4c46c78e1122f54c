package io.mxcutover.appliance.cluster;

import java.time.Instant;

/**
 * One node as {@code GET /api/v1/nodes} shows it: {@code alive} while its heartbeat is within three heartbeat
 * periods; {@code leases} the sync mailbox leases it holds now.
 */
public record ClusterNode(
        String id,
        String address,
        String version,
        Instant startedAt,
        Instant lastHeartbeat,
        boolean alive,
        int leases) {}
