-- The fleet-wide failover budget's brake (issue #16 part 3): once more automatic switchovers than the budget
-- allows happened within its window, automatic action stays braked until an operator resets it. The
-- switchovers themselves are counted from the journal (actions); this row holds only the brake and the last reset.
CREATE TABLE failover_budget (
    scope         VARCHAR(64)                 NOT NULL,
    braked_at     TIMESTAMP(6) WITH TIME ZONE,
    brake_reason  VARCHAR,
    reset_at      TIMESTAMP(6) WITH TIME ZONE,
    reset_by      VARCHAR(128),
    reset_reason  VARCHAR,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_failover_budget PRIMARY KEY (scope)
);
-- The one fleet-wide row exists from the start, so braking and resetting are plain updates.
INSERT INTO failover_budget (scope, updated_at) VALUES ('fleet', CURRENT_TIMESTAMP);
