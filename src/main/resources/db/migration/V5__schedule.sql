-- Scheduled planned switchovers (issue 14): kept in the store so they survive restarts and leader
-- changes. Only the lease holder runs one, and only after claiming its row with a conditional
-- UPDATE (state PENDING -> RUNNING), so of several replicas exactly one sees an update count of 1.
-- A RUNNING row whose claim went stale (its runner died) is claimed again; the run carries the
-- schedule's request_id, so the journal's idempotency makes the switchover itself happen once.
--
-- state: PENDING -> RUNNING -> DONE | MISSED, or PENDING -> CANCELLED | MISSED.
-- Same portable types as V1 (H2 2.x and PostgreSQL 15+); times of claims come from the database clock.
CREATE TABLE schedules (
    schedule_id  VARCHAR(64)                 NOT NULL,
    target       VARCHAR(64)                 NOT NULL,
    run_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    reason       VARCHAR                     NOT NULL,
    -- The switchover's idempotency key: the caller's requestId, or one derived from schedule_id.
    request_id   VARCHAR(64)                 NOT NULL,
    state        VARCHAR(16)                 NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    claimed_by   VARCHAR(200),
    claimed_at   TIMESTAMP(6) WITH TIME ZONE,
    action_id    VARCHAR(64),
    -- What came of it: the action's status, the cancel reason, why it was missed.
    outcome      VARCHAR,
    finished_at  TIMESTAMP(6) WITH TIME ZONE,
    CONSTRAINT pk_schedules PRIMARY KEY (schedule_id),
    CONSTRAINT uq_schedules_request_id UNIQUE (request_id)
);

-- The runner's question every tick: what is due.
CREATE INDEX ix_schedules_due ON schedules (state, run_at);

-- Drills (practice runs): one row per drill, its report kept as JSON so GET /drill?id= answers the same after a
-- restart. state is RUNNING until the outcome: SUCCEEDED, INTERRUPTED, BLOCKED or FAILED.
CREATE TABLE drills (
    drill_id     VARCHAR(64)                 NOT NULL,
    target       VARCHAR(64)                 NOT NULL,
    state        VARCHAR(16)                 NOT NULL,
    started_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP(6) WITH TIME ZONE,
    report       VARCHAR                     NOT NULL,
    CONSTRAINT pk_drills PRIMARY KEY (drill_id)
);

CREATE INDEX ix_drills_started ON drills (started_at);
