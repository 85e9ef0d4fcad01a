-- The journal (CONTRACT §4: every attempt, rejection and outcome survives restarts), the
-- idempotency keys and the per-target switchover lock.
--
-- Runs unchanged on H2 2.x and PostgreSQL 15+: standard types only, no identity or vendor
-- functions, and no reserved words as names (action -> action_name, trigger -> trigger_name,
-- the step time is logged_at). Instants are TIMESTAMP(6) WITH TIME ZONE: microseconds, compared
-- as instants whatever the session time zone. Unbounded VARCHAR for free text so a long cloud
-- message can never make a journal write fail.

CREATE TABLE actions (
    action_id          VARCHAR(64)                 NOT NULL,
    target             VARCHAR(64)                 NOT NULL,
    kind               VARCHAR(16)                 NOT NULL,
    action_name        VARCHAR(32)                 NOT NULL,
    trigger_name       VARCHAR(32)                 NOT NULL,
    status             VARCHAR(16)                 NOT NULL,
    verification       VARCHAR(16)                 NOT NULL,
    reason             VARCHAR,
    detail             VARCHAR,
    -- Idempotency key. NULLs are distinct in a UNIQUE constraint on both databases, so only
    -- actions that carry a requestId compete for it.
    request_id         VARCHAR(64),
    forced             BOOLEAN                     NOT NULL,
    dry_run            BOOLEAN                     NOT NULL,
    started_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at        TIMESTAMP(6) WITH TIME ZONE,
    -- Action.cloud: has_cloud tells "no cloud answer recorded" (null) from an answer whose
    -- fields are all null (e.g. a call that timed out).
    has_cloud          BOOLEAN                     NOT NULL,
    cloud_http_status  INTEGER,
    cloud_error_code   VARCHAR(64),
    cloud_error_msg    VARCHAR,
    cloud_request_id   VARCHAR(128),
    -- The answer's error_code / error_msg (ours, SG.nnnn, or the cloud's own), set when not a 2xx.
    error_code         VARCHAR(64),
    error_msg          VARCHAR,
    CONSTRAINT pk_actions PRIMARY KEY (action_id),
    CONSTRAINT uq_actions_request_id UNIQUE (request_id)
);

-- /actions?target= and the last action of a target, newest first.
CREATE INDEX ix_actions_target_started ON actions (target, started_at);
-- /actions without a target.
CREATE INDEX ix_actions_started ON actions (started_at);

-- One journal line of an action; seq is 1, 2, 3... per action, in append order.
CREATE TABLE action_steps (
    action_id  VARCHAR(64)                 NOT NULL,
    seq        INTEGER                     NOT NULL,
    logged_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    name       VARCHAR(128)                NOT NULL,
    detail     VARCHAR,
    CONSTRAINT pk_action_steps PRIMARY KEY (action_id, seq),
    CONSTRAINT fk_action_steps_action FOREIGN KEY (action_id) REFERENCES actions (action_id) ON DELETE CASCADE
);

-- At most one switchover in flight per target across threads, replicas and FaaS instances.
-- acquired_at and expires_at come from the database clock, never a JVM clock.
CREATE TABLE target_locks (
    target       VARCHAR(64)                 NOT NULL,
    owner        VARCHAR(200)                NOT NULL,
    acquired_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_target_locks PRIMARY KEY (target)
);
