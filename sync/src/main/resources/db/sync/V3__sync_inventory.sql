-- The source inventory of each mailbox (owner: sync.state.SyncStore): per source folder, how many messages
-- (STATUS MESSAGES when a pass lists the folder) and how many bytes (the sizes of the last full metadata
-- fetch; NULL until the folder was fetched, and again when its message count changed since). What is left to
-- copy is this minus the journal's DONE rows; a mailbox without rows was never listed: its remaining work is
-- unknown, not zero. (V2 is left to the folder journal of the same release.)
CREATE TABLE sync_inventory (
    mailbox          VARCHAR(320)  NOT NULL,
    source_folder    VARCHAR(1000) NOT NULL,
    messages         BIGINT        NOT NULL,
    bytes            BIGINT,
    listed_at        BIGINT        NOT NULL,   -- epoch millis
    PRIMARY KEY (mailbox, source_folder)
);
