-- Leased sync work (issue 16; owner: sync.lease.LeaseStore). Several appliance nodes sharing one store copy each
-- mailbox on one node at a time: a node holds a mailbox's lease while its pass runs, renews it, and releases it
-- when the pass ends. A dead node's leases expire after sync.leaseSeconds and another node takes the mailbox,
-- resuming from the journal. A row is never deleted: its generation grows at every claim, so a node that lost a
-- lease (a long pause) is fenced out of the journal by (node, generation). Times are epoch millis.
CREATE TABLE sync_lease (
    mailbox          VARCHAR(320)  NOT NULL PRIMARY KEY,
    node             VARCHAR(64),               -- holder (the last one once released)
    expires_at       BIGINT        NOT NULL,    -- held while > now; 0 when released
    generation       BIGINT        NOT NULL,    -- claims so far
    acquired_at      BIGINT        NOT NULL,
    renewed_at       BIGINT        NOT NULL,
    released_at      BIGINT                     -- end of the last pass: the next claim goes to the longest idle
);
CREATE INDEX sync_lease_by_node ON sync_lease (node, expires_at);

-- Which node IDLEs on a mailbox's INBOX (one at a time across the nodes), same rules as sync_lease.
CREATE TABLE sync_idle_lease (
    mailbox          VARCHAR(320)  NOT NULL PRIMARY KEY,
    node             VARCHAR(64),
    expires_at       BIGINT        NOT NULL,
    generation       BIGINT        NOT NULL,
    acquired_at      BIGINT        NOT NULL,
    renewed_at       BIGINT        NOT NULL,
    released_at      BIGINT
);

-- Connection slots per IMAP server (host:port), across all nodes: one row per slot 0..cap-1; a connection the sync
-- opens holds one (claimed by a conditional update, released on close, expiring like the holder's leases).
CREATE TABLE sync_server_slot (
    server           VARCHAR(300)  NOT NULL,
    slot             INTEGER       NOT NULL,
    node             VARCHAR(64),
    holder           VARCHAR(400),              -- what holds it: "<mailbox> copy" or "<mailbox> idle"
    expires_at       BIGINT        NOT NULL,    -- held while > now; 0 when released
    generation       BIGINT        NOT NULL,    -- claims so far (a holder renews and releases only its own claim)
    acquired_at      BIGINT        NOT NULL,
    PRIMARY KEY (server, slot)
);
