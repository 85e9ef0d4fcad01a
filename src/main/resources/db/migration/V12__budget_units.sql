-- The failover budget's units (fleet-wide and per group). An automatic switchover takes one before its call, in
-- one transaction that locks the fleet's budget row, counts the units taken within the window and since the last
-- reset, and inserts its own only if every budget that applies still has room. So replicas acting on different
-- shards of one store can never take the same last unit; the journal is written later, so it alone could not
-- tell a unit just taken on another replica. A unit whose switchover was refused or only a dry run is given back.
CREATE TABLE budget_units (
    unit_id   VARCHAR(64)                 NOT NULL,
    target    VARCHAR(64)                 NOT NULL,
    taken_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_budget_units PRIMARY KEY (unit_id)
);
CREATE INDEX ix_budget_units_taken_at ON budget_units (taken_at);
-- The automatic attempts journaled before this version keep counting: an upgrade does not refill the budget.
INSERT INTO budget_units (unit_id, target, taken_at)
SELECT action_id, target, started_at FROM actions
WHERE trigger_name = 'auto' AND dry_run = FALSE AND status NOT IN ('REJECTED', 'DRY_RUN');
