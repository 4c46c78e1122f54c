-- The folder plan of each mailbox, journaled like a message (issue 10): the mapping of every
-- source folder to its target folder is written (and committed) before the first CREATE of
-- that mailbox, and never decided again. A crash between CREATE and the first copy cannot
-- change the mapping on the next run, and a target folder the sync created is known to be
-- the sync's (created_by_sync = 1), not a folder of the user's that decides a role.
CREATE TABLE sync_folder_plan (
    mailbox          VARCHAR(320)  NOT NULL,
    source_folder    VARCHAR(1000) NOT NULL,
    target_folder    VARCHAR(1000) NOT NULL,
    created_by_sync  SMALLINT      NOT NULL,   -- 1: the target folder did not exist when planned
    state            VARCHAR(8)    NOT NULL,   -- PLANNED (intent), CREATED / EXISTED (target folder there)
    move_kind        VARCHAR(8)    NOT NULL,   -- SAME, RENAMED, MERGED
    move_reason      TEXT          NOT NULL,
    planned_at       BIGINT        NOT NULL,
    PRIMARY KEY (mailbox, source_folder)
);
