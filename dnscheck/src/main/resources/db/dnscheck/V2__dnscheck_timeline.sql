-- dnscheck timeline summary: one row per watched domain, the poll history folded (switch time,
-- largest old TTL, ...), written in the same transaction as each poll, so that a poll does not
-- have to re-read the history. Rebuilt from dnscheck_poll when the expected MX set changes.
-- Portable SQL (SQLite and PostgreSQL); times as epoch milliseconds UTC, NULL = not yet.

CREATE TABLE dnscheck_timeline (
    domain           VARCHAR(253) NOT NULL PRIMARY KEY,
    expected_hosts   TEXT         NOT NULL,  -- the new MX hosts it was folded for, one per line
    polls            BIGINT       NOT NULL,  -- polls folded in
    last_polled_at   BIGINT,                 -- the latest poll folded in
    observed_legacy  TEXT,                   -- legacy MX as first observed, "10 mx.legacy.example" per line
    switch_at        BIGINT,                 -- MX switch time (current run of all-new authoritative polls)
    propagated_at    BIGINT,                 -- first poll of the current run of PROPAGATED polls
    old_ttl          BIGINT       NOT NULL,  -- largest TTL of the old MX seen, -1 = none
    negative_ttl     BIGINT       NOT NULL,  -- largest negative TTL of an absent MX seen, -1 = none
    new_ttl          BIGINT       NOT NULL,  -- largest TTL of the new MX on an authoritative server
    last_old_expiry  BIGINT                  -- when the last resolver's observed old answer runs out
);
