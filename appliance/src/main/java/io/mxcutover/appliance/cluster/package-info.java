/**
 * The nodes of a cluster sharing one store (PostgreSQL; on SQLite there is one node): each node registers itself
 * and renews a heartbeat ({@link io.mxcutover.appliance.cluster.NodeHeartbeat}, {@link
 * io.mxcutover.appliance.cluster.NodeRegistry}), {@code GET /api/v1/nodes} lists them ({@link
 * io.mxcutover.appliance.cluster.NodesResource}), and a job that must run on one node at a time (the DNS watcher)
 * holds a leader lease ({@link io.mxcutover.appliance.cluster.LeaderLease}). The YAML section is {@code cluster:}
 * ({@link io.mxcutover.appliance.cluster.ClusterConfig}).
 *
 * <p>Tables owned here (migration {@code db/appliance/V8}): {@code cluster_node} (id, address, version, start,
 * heartbeat) and {@code cluster_lease} (one row per job: the node holding it and until when). It reads the sync's
 * {@code sync_lease} to count each node's mailbox leases, when that table exists.
 *
 * <p>Logs: INFO when this node registers and when it takes or loses a leader lease; WARN when a heartbeat or a lease
 * renewal fails (the database cannot be reached from this node).
 */
package io.mxcutover.appliance.cluster;
