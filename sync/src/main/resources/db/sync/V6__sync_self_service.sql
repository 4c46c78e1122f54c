-- Self-service migration (issue 13 part 3; owner: sync.state.SyncStore). A mailbox imported without a legacy
-- password (and no legacy master user) waits in status AWAITING_USER until its user gives the password on the
-- appliance's self-service page; the admin lists who has not done it yet, with the time of the import.
ALTER TABLE sync_mailbox ADD COLUMN imported_at BIGINT;          -- epoch millis of the first import of the row
ALTER TABLE sync_mailbox ADD COLUMN user_login_at BIGINT;        -- last successful self-service login
UPDATE sync_mailbox SET imported_at = updated_at WHERE imported_at IS NULL;
