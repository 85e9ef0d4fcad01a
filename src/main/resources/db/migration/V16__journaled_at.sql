-- When the store journaled an action, by the database's clock. started_at is the journaling replica's own clock,
-- and "a switchover newer than this decision" (SG.4094) compared one replica's observation with another's
-- started_at: an operator's swap on a replica whose clock ran behind looked older than the decision it came after,
-- and the automatic action toggled it back (FenceTest). Rows from before this column keep their started_at, the best
-- time they have.
ALTER TABLE actions ADD COLUMN journaled_at TIMESTAMP(6) WITH TIME ZONE;
UPDATE actions SET journaled_at = started_at;
ALTER TABLE actions ALTER COLUMN journaled_at SET NOT NULL;
CREATE INDEX ix_actions_target_journaled ON actions (target, journaled_at);
