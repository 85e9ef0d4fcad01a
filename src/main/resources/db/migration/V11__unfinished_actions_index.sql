-- Follower.reconcile lists the unfinished actions (finished_at IS NULL, oldest first) at every lease renewal;
-- without an index that is a scan of the whole journal, which only grows. Both databases keep NULLs in a B-tree
-- index and use it for IS NULL (a partial index would be smaller on PostgreSQL, but H2 has none); started_at
-- second gives the rows in the order the query asks for.
CREATE INDEX ix_actions_unfinished ON actions (finished_at, started_at);
