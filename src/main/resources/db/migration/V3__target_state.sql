-- What the checker knows about each target between cycles and across restarts and FaaS cold starts:
-- the policy's streaks, pause, last action (cooldown), and the last decision for /status.
CREATE TABLE target_state (
    target          VARCHAR(64)                 NOT NULL,
    failures        INTEGER                     NOT NULL,
    lag_breaches    INTEGER                     NOT NULL,
    successes       INTEGER                     NOT NULL,
    healthy         BOOLEAN                     NOT NULL,
    breaches        BIGINT                      NOT NULL,
    last_action_at  TIMESTAMP(6) WITH TIME ZONE,
    paused          BOOLEAN                     NOT NULL,
    pause_reason    VARCHAR,
    paused_at       TIMESTAMP(6) WITH TIME ZONE,
    last_probe_at   TIMESTAMP(6) WITH TIME ZONE,
    last_decision   VARCHAR,
    updated_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_target_state PRIMARY KEY (target)
);
