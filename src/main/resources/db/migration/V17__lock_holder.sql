-- Which process holds a target's lock (its instance id, as /status lists the live replicas): an operator deciding
-- whether to POST /resolve sees whether the holder is still alive or its lock will only lapse. Locks taken before
-- this column say null.
ALTER TABLE target_locks ADD COLUMN holder VARCHAR(255);
