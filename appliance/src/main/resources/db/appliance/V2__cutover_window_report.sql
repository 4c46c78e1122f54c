-- The cutover of each domain, its catch-up window overrides and its final report (owner: appliance.cutover).
-- Portable SQL (SQLite and PostgreSQL): no AUTOINCREMENT/SERIAL, no BOOLEAN (SMALLINT 0/1), times as
-- ISO-8601 text plus epoch millis, JSON kept as TEXT.

-- One row per cutover of a domain: a domain rolled back and cut over again has several; seq orders them.
-- The row is written before the phase change (intent first), so the newest row of a CATCHING_UP or
-- COMPLETED domain is always the cutover that put it there. A newest row of a RELAYING domain is a
-- cutover that was rolled back, or one that did not get to change the phase.
CREATE TABLE cutover (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    domain          VARCHAR(253)  NOT NULL,
    seq             BIGINT        NOT NULL,
    at_millis       BIGINT        NOT NULL,
    at              VARCHAR(40)   NOT NULL,
    actor           VARCHAR(100)  NOT NULL,
    reason          VARCHAR(2000) NOT NULL,
    forced          SMALLINT      NOT NULL,
    -- the preflight checks as they stood at cutover: JSON list of {name, state, reason}
    readiness       TEXT          NOT NULL,
    -- the sync's messages copied for the domain at cutover; the final report subtracts it
    copied_before   BIGINT        NOT NULL,
    -- the final sync pass: JSON list of {mailbox, additionalMessages, error}; NULL until it ran
    final_pass      TEXT,
    final_pass_at   VARCHAR(40),
    CONSTRAINT cutover_domain_seq UNIQUE (domain, seq)
);

-- What admins changed about a cutover's catch-up window. kind: 'extend' (extend_millis later) or 'close'
-- (closed early with force). Never updated.
CREATE TABLE window_override (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    cutover_id      VARCHAR(36)   NOT NULL REFERENCES cutover (id),
    kind            VARCHAR(10)   NOT NULL,
    at_millis       BIGINT        NOT NULL,
    at              VARCHAR(40)   NOT NULL,
    actor           VARCHAR(100)  NOT NULL,
    extend_millis   BIGINT,
    reason          VARCHAR(2000) NOT NULL
);

CREATE INDEX window_override_cutover ON window_override (cutover_id, at_millis);

-- The final report of a COMPLETED domain (JSON): messages copied, caught up after cutover, errors, the
-- preflight at cutover, the final pass, and the window's closing.
CREATE TABLE domain_report (
    cutover_id      VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES cutover (id),
    domain          VARCHAR(253)  NOT NULL,
    completed_at_millis BIGINT    NOT NULL,
    completed_at    VARCHAR(40)   NOT NULL,
    report          TEXT          NOT NULL
);
