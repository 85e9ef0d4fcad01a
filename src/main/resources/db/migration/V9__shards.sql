-- Sharding across replicas on one store (issue #13 part 6). Targets are split into a fixed number of shards
-- (switchguard.store.shards); each shard is a lease in the leases table (V4), named "shard-<i>-of-<n>", and only the
-- holder of a target's shard acts on it automatically, fenced by that shard lease's epoch.
--
-- This table is who is alive: every replica renews its row every lease-ttl / 3 with the same TTL as its leases, so
-- each replica can count the live ones and claim a fair share, ceil(shards / live replicas). shards is the count the
-- replica was started with: replicas that disagree with the eldest live one claim nothing (a target would map to two
-- different shards). All times are the database clock. Same portable types as V4 (H2 2.x and PostgreSQL 15+).

CREATE TABLE replicas (
    instance_id VARCHAR(200)                NOT NULL,
    shards      INTEGER                     NOT NULL,
    joined_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_replicas PRIMARY KEY (instance_id)
);
