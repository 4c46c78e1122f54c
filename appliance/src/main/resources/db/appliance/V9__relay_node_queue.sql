-- Each node's relay queue as that node last published it (issue 16): every node keeps its own spool on its
-- own disk; GET /api/v1/queue on any node lists the others' queues from here. One row per node, replaced
-- every relay.queuePublishInterval; written only on a PostgreSQL store (one SQLite node shows its live queue).
-- Portable SQL (SQLite and PostgreSQL): times as epoch millis, the summary as JSON text of bounded size.
CREATE TABLE relay_node_queue (
    node          VARCHAR(64)   NOT NULL PRIMARY KEY,
    published_at  BIGINT        NOT NULL,
    -- JSON: counts per queue directory, oldest arrival, the first deferred/held entries (queue id, recipients'
    -- domains, attempts, next attempt, last reply); at most NodeQueues.MAX_ENTRIES entries
    summary       TEXT          NOT NULL
);
