-- Which replica runs a drill, and when it last said so (the database clock): a RUNNING drill whose runner has not
-- been heard of for switchguard.drills.stale-claim was left by a replica that died, and the leader ends it FAILED
-- from what the journal holds of its switches. NULL on rows from before this migration (their started_at stands in).
ALTER TABLE drills ADD COLUMN runner VARCHAR(200);
ALTER TABLE drills ADD COLUMN touched_at TIMESTAMP(6) WITH TIME ZONE;
