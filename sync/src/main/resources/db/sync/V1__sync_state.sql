-- mxcutover sync state (portable SQL: SQLite and PostgreSQL).
-- Times are epoch milliseconds (BIGINT); UIDs and UIDVALIDITY are unsigned 32-bit, so BIGINT.

-- One row per mailbox to move. Secrets are sealed with AES-256-GCM (v1:<base64>), never clear text.
CREATE TABLE sync_mailbox (
    address          VARCHAR(320)  NOT NULL PRIMARY KEY,
    source_login     VARCHAR(320)  NOT NULL,
    source_secret    TEXT          NOT NULL,
    source_auth      VARCHAR(16)   NOT NULL,
    target_login     VARCHAR(320)  NOT NULL,
    target_secret    TEXT          NOT NULL,
    target_auth      VARCHAR(16)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,   -- PENDING, SYNCING, SYNCED, INCOMPLETE, FAILED
    reason           TEXT,
    started_at       BIGINT,
    finished_at      BIGINT,
    updated_at       BIGINT        NOT NULL
);

-- Per mailbox and source folder: where the last complete pass left both sides (the re-run
-- fast path compares STATUS against these) and the target folder it maps to.
CREATE TABLE sync_folder (
    mailbox               VARCHAR(320)  NOT NULL,
    source_folder         VARCHAR(1000) NOT NULL,
    target_folder         VARCHAR(1000) NOT NULL,
    source_uidvalidity    BIGINT        NOT NULL,
    source_uidnext        BIGINT        NOT NULL,
    source_messages       BIGINT        NOT NULL,
    source_highestmodseq  BIGINT        NOT NULL,
    target_uidvalidity    BIGINT        NOT NULL,
    target_uidnext        BIGINT        NOT NULL,
    target_messages       BIGINT        NOT NULL,
    target_highestmodseq  BIGINT        NOT NULL,
    complete              SMALLINT      NOT NULL,
    updated_at            BIGINT        NOT NULL,
    PRIMARY KEY (mailbox, source_folder)
);

-- One row per copied message: the journal. INTENT is written (and committed) before the
-- APPEND, DONE after; on restart an INTENT is looked up on the target by identity.
CREATE TABLE sync_message (
    mailbox             VARCHAR(320)  NOT NULL,
    source_folder       VARCHAR(1000) NOT NULL,
    source_uidvalidity  BIGINT        NOT NULL,
    source_uid          BIGINT        NOT NULL,
    target_folder       VARCHAR(1000) NOT NULL,
    target_uidvalidity  BIGINT        NOT NULL,
    target_uid          BIGINT        NOT NULL,   -- 0 while unknown
    identity            VARCHAR(128)  NOT NULL,
    message_id          VARCHAR(1000) NOT NULL,
    size                BIGINT        NOT NULL,
    internal_date       BIGINT        NOT NULL,   -- epoch seconds
    flags               VARCHAR(4000) NOT NULL,   -- flags last set on the target from the source
    content_sha256      VARCHAR(64),
    state               VARCHAR(8)    NOT NULL,   -- INTENT, DONE
    updated_at          BIGINT        NOT NULL,
    PRIMARY KEY (mailbox, source_folder, source_uidvalidity, source_uid)
);
CREATE INDEX sync_message_by_identity ON sync_message (mailbox, source_folder, identity);

-- Messages (source_uid > 0), folders (source_uid = 0) and mailboxes (source_folder = '')
-- that failed, with the server's words, the attempt count and when to try again.
CREATE TABLE sync_failure (
    mailbox             VARCHAR(320)  NOT NULL,
    source_folder       VARCHAR(1000) NOT NULL,
    source_uidvalidity  BIGINT        NOT NULL,
    source_uid          BIGINT        NOT NULL,
    scope               VARCHAR(16)   NOT NULL,   -- MESSAGE, FOLDER, MAILBOX
    reason              TEXT          NOT NULL,
    attempts            INTEGER       NOT NULL,
    first_failed_at     BIGINT        NOT NULL,
    last_failed_at      BIGINT        NOT NULL,
    next_attempt_at     BIGINT        NOT NULL,
    PRIMARY KEY (mailbox, source_folder, source_uidvalidity, source_uid)
);
