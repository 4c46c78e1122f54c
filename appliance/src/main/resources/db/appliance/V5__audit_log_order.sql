-- The order audit entries were written in (owner: appliance.audit). Entries of one millisecond (a cutover and
-- its final pass, a test clock that stands still) came back in the order of their ids, which held the
-- process's wall-clock millis and a counter that restarts with the process. seq is the insertion order:
-- each insert sets it to MAX(seq) + 1 in the inserting statement (as cutover.seq), and the log is read
-- newest first by (at_millis, seq). Portable SQL; writers are serialized by SQLite, so seq is unique there.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;

-- Rows written before: their order as it was read (at_millis, then id).
UPDATE audit_log SET seq = (SELECT COUNT(*) FROM audit_log a
                            WHERE a.at_millis < audit_log.at_millis
                               OR (a.at_millis = audit_log.at_millis AND a.id <= audit_log.id));

DROP INDEX audit_log_at;
DROP INDEX audit_log_domain;
CREATE INDEX audit_log_at ON audit_log (at_millis, seq);
CREATE INDEX audit_log_domain ON audit_log (domain, at_millis, seq);
-- MAX(seq) at every insert: an index lookup, not a scan of the log.
CREATE INDEX audit_log_seq ON audit_log (seq);
