-- A swap writes nine journal lines, and H2 gave this foreign key an index of its own on action_steps
-- (action_id) beside the primary key (action_id, seq): one more B-tree entry per line, and on an H2 file one
-- more leaf that every durable write rewrites. Only JdbcActionStore writes lines, always in a transaction
-- that holds the action's row (its insert, its conditional update, or SELECT ... FOR UPDATE), and nothing
-- deletes actions, so the constraint guarded nothing the code does not.
ALTER TABLE action_steps DROP CONSTRAINT fk_action_steps_action;
