-- The last verification of each mailbox (owner: appliance.mailbox.VerificationRecords): what the readiness
-- gate reads. One row per mailbox, replaced by each verification (one mailbox's or a domain-wide one).
-- Portable SQL (SQLite and PostgreSQL): times as epoch millis plus ISO-8601 text, no BOOLEAN, JSON as TEXT.
CREATE TABLE mailbox_verification (
    mailbox             VARCHAR(320)  NOT NULL PRIMARY KEY,
    domain              VARCHAR(253)  NOT NULL,
    -- when the verification started: every fact in the row is at least this recent
    taken_at_millis     BIGINT        NOT NULL,
    taken_at            VARCHAR(40)   NOT NULL,
    finished_at_millis  BIGINT        NOT NULL,
    requested_by        VARCHAR(100)  NOT NULL,
    -- READY, NOT_READY, UNREACHABLE (the verifier's verdict); the gate counts only READY
    verdict             VARCHAR(20)   NOT NULL,
    reason              TEXT          NOT NULL,
    -- folders compared on both sides; 0 when a server was not reached
    folders             INTEGER       NOT NULL,
    source_messages     BIGINT        NOT NULL,
    target_messages     BIGINT        NOT NULL,
    missing             BIGINT        NOT NULL,
    mismatched          BIGINT        NOT NULL,
    deleted_on_target   BIGINT        NOT NULL,
    normalized          BIGINT        NOT NULL,
    -- the verifier's whole report as JSON (per-folder counts, what is missing and why); new facts the
    -- verifier learns to report land here without a schema change
    detail              TEXT          NOT NULL
);

CREATE INDEX mailbox_verification_domain ON mailbox_verification (domain, mailbox);
