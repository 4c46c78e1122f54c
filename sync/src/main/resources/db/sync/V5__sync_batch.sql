-- Batches (issue 13, gradual migration; owner: sync.batch.BatchStore). A domain's mailboxes are moved in
-- waves: each batch is started, paused, resumed and completed by the admin, and only the mailboxes of a
-- started (or completed) batch are copied. A mailbox in no batch is copied as before batches existed.
-- (V4 is left to the inventory of the same release.)
CREATE TABLE sync_batch (
    domain           VARCHAR(253)  NOT NULL,
    name             VARCHAR(64)   NOT NULL,
    state            VARCHAR(16)   NOT NULL,   -- NEW, STARTED, PAUSED, COMPLETED
    created_at       BIGINT        NOT NULL,   -- epoch millis
    started_at       BIGINT,                   -- first start
    paused_at        BIGINT,                   -- last pause (NULL when not paused)
    completed_at     BIGINT,                   -- last "complete"
    final_pass_at    BIGINT,                   -- when the final pass of the last "complete" finished; NULL while it runs
    final_pass       TEXT,                     -- its result, JSON: [{"mailbox":..,"additionalMessages":..,"error":..}]
    updated_at       BIGINT        NOT NULL,
    updated_by       VARCHAR(100)  NOT NULL,
    PRIMARY KEY (domain, name)
);

-- Which batch a mailbox belongs to: at most one. A row may name an address not (yet) in sync_mailbox: the
-- membership is written before the mailbox, so a crash between the two never leaves a batch's mailbox
-- looking like one in no batch (which would be copied at once).
CREATE TABLE sync_batch_mailbox (
    address          VARCHAR(320)  NOT NULL PRIMARY KEY,
    domain           VARCHAR(253)  NOT NULL,
    batch            VARCHAR(64)   NOT NULL,
    assigned_at      BIGINT        NOT NULL
);
CREATE INDEX sync_batch_mailbox_by_batch ON sync_batch_mailbox (domain, batch);
