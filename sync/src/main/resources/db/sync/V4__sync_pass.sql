-- The passes that moved something (owner: sync.inventory.PassLog): one row per mailbox pass that copied at
-- least 20 messages or changed the mailbox's phase (the continuous sync's passes that find nothing or a
-- message or two leave no row, so they do not fill the table). What the inventory's estimate reads as "this appliance's own
-- rate against that server", and what "estimate vs actual" measures the history copy with.
CREATE TABLE sync_pass (
    mailbox          VARCHAR(320)  NOT NULL,
    source_server    VARCHAR(300)  NOT NULL,   -- host:port of legacy
    target_server    VARCHAR(300)  NOT NULL,   -- host:port of new
    started_at       BIGINT        NOT NULL,   -- epoch millis
    finished_at      BIGINT        NOT NULL,   -- epoch millis
    messages         BIGINT        NOT NULL,   -- copied in this pass
    bytes            BIGINT        NOT NULL,
    phase            VARCHAR(16)   NOT NULL    -- the mailbox's phase after the pass (SYNCED, INCOMPLETE, FAILED)
);
CREATE INDEX sync_pass_by_servers ON sync_pass (source_server, target_server, finished_at);
CREATE INDEX sync_pass_by_mailbox ON sync_pass (mailbox, started_at);
