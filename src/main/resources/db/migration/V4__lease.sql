-- Leader leases among replicas sharing a store (CONTRACT §3 switchguard.store.lease-ttl): one row
-- per lease name (e.g. "checker"). Only the holder of a live lease acts automatically, and every
-- automatic action is journaled only if its holder's epoch is still the live one (fencing), so a
-- paused or partitioned old leader that wakes up cannot act.
--
-- epoch counts terms: it grows by one whenever the lease changes hands or lapses, and never goes
-- back; a row is never deleted (release only ends the term), so an epoch is never reused.
-- since and expires_at come from the database clock, never a JVM clock: clock skew between replicas
-- does not matter. Same portable types as V1 (H2 2.x and PostgreSQL 15+).

CREATE TABLE leases (
    name        VARCHAR(64)                 NOT NULL,
    holder      VARCHAR(200)                NOT NULL,
    epoch       BIGINT                      NOT NULL,
    since       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    renewed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_leases PRIMARY KEY (name)
);
