-- Hooks (issue 13; owner: appliance.hook.HookRuns). Portable SQL, times as epoch millis plus ISO-8601 text.
-- (V5 is left to the inventory of the same release.)

-- One row per run of a hook: what it ran for and how it ended (also in the audit log).
CREATE TABLE hook_run (
    id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    at_millis    BIGINT        NOT NULL,
    at           VARCHAR(40)   NOT NULL,
    hook         VARCHAR(64)   NOT NULL,
    event        VARCHAR(40)   NOT NULL,
    domain       VARCHAR(253)  NOT NULL,
    mailbox      VARCHAR(320),
    batch        VARCHAR(64),
    outcome      VARCHAR(16)   NOT NULL,   -- OK, FAILED, TIMED_OUT, NOT_STARTED
    exit_code    INTEGER,
    took_millis  BIGINT        NOT NULL,
    output       TEXT          NOT NULL
);
CREATE INDEX hook_run_by_domain ON hook_run (domain, at_millis);

-- The events that fire once per mailbox (history copied), or once until the mailbox recovers (failed).
CREATE TABLE hook_mailbox_event (
    address      VARCHAR(320)  NOT NULL,
    event        VARCHAR(40)   NOT NULL,
    at_millis    BIGINT        NOT NULL,
    PRIMARY KEY (address, event)
);
