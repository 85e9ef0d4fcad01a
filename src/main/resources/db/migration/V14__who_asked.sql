-- Who asked, as the journal names a manual switchover's caller (an API key's label, never the key): the key that
-- created a schedule or a drill plan, and the one that cancelled it. NULL on rows from before this migration.
-- A drill's starter is kept in its report (JSON), so the drills table needs no column.
ALTER TABLE schedules ADD COLUMN created_by VARCHAR(128);
ALTER TABLE schedules ADD COLUMN cancelled_by VARCHAR(128);
ALTER TABLE drill_plans ADD COLUMN created_by VARCHAR(128);
ALTER TABLE drill_plans ADD COLUMN cancelled_by VARCHAR(128);
