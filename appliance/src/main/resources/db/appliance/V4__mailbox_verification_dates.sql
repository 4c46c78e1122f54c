-- Dates the new server did not keep (owner: appliance.mailbox.VerificationRecords): messages that are on new
-- but with another INTERNALDATE than on legacy (a date past 2038 stored as the APPEND time). A warning that
-- the gate does not count against a mailbox; listed in the domain view next to deleted_on_target.
-- Rows verified before this column existed keep 0 until their next verification (the detail JSON of a
-- verifier that reported them has the per-folder list).
ALTER TABLE mailbox_verification ADD COLUMN dates_not_kept BIGINT NOT NULL DEFAULT 0;
