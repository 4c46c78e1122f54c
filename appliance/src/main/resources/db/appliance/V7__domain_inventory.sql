-- The newest inventory of each domain (owner: appliance.inventory.InventoryRecords): who asked, when it ran,
-- how far it got, and the report as JSON (the body of GET /api/v1/domains/{d}/inventory's "report"; no
-- credential is in it). A row left 'running' by an appliance that stopped reads as 'interrupted'.
-- (V5 is this helper's; batches and hooks take V6.)
CREATE TABLE domain_inventory (
    domain            VARCHAR(253)  NOT NULL PRIMARY KEY,
    requested_by      VARCHAR(200)  NOT NULL,
    state             VARCHAR(16)   NOT NULL,   -- running, done, failed
    started_at        BIGINT        NOT NULL,   -- epoch millis
    finished_at       BIGINT,
    mailboxes_total   INTEGER       NOT NULL,
    mailboxes_done    INTEGER       NOT NULL,
    error             TEXT,
    report            TEXT                      -- JSON, when done
);
