-- dnscheck history: one row per poll of a domain, one row per (server, record type) answer.
-- Portable SQL (SQLite and PostgreSQL): no autoincrement, times as epoch milliseconds UTC,
-- booleans as SMALLINT 0/1.

CREATE TABLE dnscheck_poll (
    poll_id    VARCHAR(36)  NOT NULL PRIMARY KEY,
    domain     VARCHAR(253) NOT NULL,
    polled_at  BIGINT       NOT NULL,
    verdict    VARCHAR(16)  NOT NULL
);

CREATE INDEX dnscheck_poll_domain_time ON dnscheck_poll (domain, polled_at);

CREATE TABLE dnscheck_answer (
    poll_id         VARCHAR(36)  NOT NULL REFERENCES dnscheck_poll (poll_id),
    server_label    VARCHAR(255) NOT NULL,
    server_role     VARCHAR(16)  NOT NULL,  -- AUTHORITATIVE or RESOLVER
    server_host     VARCHAR(255) NOT NULL,
    server_port     INTEGER      NOT NULL,
    record_type     VARCHAR(8)   NOT NULL,  -- MX or TXT
    outcome         VARCHAR(16)  NOT NULL,  -- NOERROR NODATA NXDOMAIN SERVFAIL REFUSED TIMEOUT NETWORK_ERROR
    answer          TEXT,                   -- NOERROR: one record per line ("10 mx.example.com" / TXT text)
    ttl             BIGINT,                 -- NOERROR: TTL (remaining, on resolvers); NODATA/NXDOMAIN: negative TTL
    detail          VARCHAR(1000),          -- NETWORK_ERROR: what went wrong
    authoritative   SMALLINT     NOT NULL,  -- AA flag of the reply
    over_tcp        SMALLINT     NOT NULL,  -- UDP reply was truncated, asked again over TCP
    latency_ms      BIGINT       NOT NULL,
    PRIMARY KEY (poll_id, server_role, server_label, server_host, server_port, record_type)
);
