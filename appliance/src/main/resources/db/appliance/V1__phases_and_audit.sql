-- Portable SQL (SQLite and PostgreSQL): no AUTOINCREMENT/SERIAL, times as ISO-8601 text plus epoch millis.

-- The cutover phase of each domain. A domain without a row is RELAYING.
CREATE TABLE domain_phase (
    domain      VARCHAR(253) NOT NULL PRIMARY KEY,
    phase       VARCHAR(20)  NOT NULL,
    changed_at  VARCHAR(40)  NOT NULL,
    changed_by  VARCHAR(100) NOT NULL
);

-- Who did what, when and why. Never updated, never deleted.
CREATE TABLE audit_log (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    at_millis   BIGINT       NOT NULL,
    at          VARCHAR(40)  NOT NULL,
    actor       VARCHAR(100) NOT NULL,
    domain      VARCHAR(253),
    action      VARCHAR(60)  NOT NULL,
    from_phase  VARCHAR(20),
    to_phase    VARCHAR(20),
    reason      VARCHAR(2000),
    details     TEXT
);

CREATE INDEX audit_log_at ON audit_log (at_millis);
CREATE INDEX audit_log_domain ON audit_log (domain, at_millis);
