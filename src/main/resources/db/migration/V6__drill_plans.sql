-- Drills on a schedule (issue 14): a cron expression (5 fields, UTC), the drill to run, and when it may run
-- (allowed windows; blocked windows and dates). next_at is the next cron time; the leader claims a due plan by
-- moving next_at on with a conditional UPDATE on its old value, so of several replicas exactly one runs it.
-- allowed_windows and blocked_windows hold one window a line ("Mon-Fri 09:00-17:00"), blocked_dates one
-- ISO date a line. Same portable types as V1 (H2 2.x and PostgreSQL 15+).
CREATE TABLE drill_plans (
    plan_id          VARCHAR(64)                 NOT NULL,
    target           VARCHAR(64)                 NOT NULL,
    cron             VARCHAR(128)                NOT NULL,
    hold_millis      BIGINT                      NOT NULL,
    check_url        VARCHAR,
    reason           VARCHAR,
    allowed_windows  VARCHAR,
    blocked_windows  VARCHAR,
    blocked_dates    VARCHAR,
    -- ACTIVE | CANCELLED
    state            VARCHAR(16)                 NOT NULL,
    next_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_at          TIMESTAMP(6) WITH TIME ZONE,
    last_drill_id    VARCHAR(64),
    CONSTRAINT pk_drill_plans PRIMARY KEY (plan_id)
);

CREATE INDEX ix_drill_plans_due ON drill_plans (state, next_at);
