-- Several nodes sharing one store (issue 16; owner: appliance.cluster). Portable SQL (SQLite and PostgreSQL).

-- Each node of the cluster: registered at its start, its heartbeat renewed every cluster.heartbeatSeconds.
-- A node whose heartbeat is older than three periods is shown as not alive. Rows are never deleted by the
-- appliance: a node that left stays listed, not alive, until an operator deletes its row.
CREATE TABLE cluster_node (
    id                  VARCHAR(64)  NOT NULL PRIMARY KEY,
    address             VARCHAR(300) NOT NULL,
    version             VARCHAR(60)  NOT NULL,
    started_at_millis   BIGINT       NOT NULL,
    heartbeat_millis    BIGINT       NOT NULL
);

-- Leader leases: one row per job that runs on one node at a time ('dns-watch'). A node holds the lease while
-- expires_at_millis is in the future; it renews it with a conditional UPDATE (WHERE node = itself OR expired),
-- so two nodes never both hold it. The rows exist from the start (node '' = nobody), so taking a lease is
-- always an UPDATE, never a racing INSERT.
CREATE TABLE cluster_lease (
    name                VARCHAR(60)  NOT NULL PRIMARY KEY,
    node                VARCHAR(64)  NOT NULL,
    acquired_at_millis  BIGINT       NOT NULL,
    expires_at_millis   BIGINT       NOT NULL
);
INSERT INTO cluster_lease (name, node, acquired_at_millis, expires_at_millis) VALUES ('dns-watch', '', 0, 0);

-- The audit log's order across nodes. Before, each insert set seq to MAX(seq) + 1 in its statement: unique on
-- SQLite (one writer), but two nodes on PostgreSQL (READ COMMITTED) could read the same MAX and write the same
-- seq. Now an insert first increments this one row (UPDATE: on PostgreSQL a row lock held until commit, so the
-- next writer waits and reads the new value) and writes the value it set: unique, in commit order, the same
-- SQL on both engines.
CREATE TABLE audit_seq (
    id                  SMALLINT     NOT NULL PRIMARY KEY,
    last_seq            BIGINT       NOT NULL
);
INSERT INTO audit_seq (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_log;

-- The node that runs a cutover's final pass: another node's tick runs it again only when that node is gone.
ALTER TABLE cutover ADD COLUMN final_pass_node VARCHAR(64);
