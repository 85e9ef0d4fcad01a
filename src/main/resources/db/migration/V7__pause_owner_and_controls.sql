-- Pauses with an owner and an expiry (issue #16 part 5): who paused (the API key's label), until when
-- (null = until resumed), and when the last "still paused" reminder was sent.
ALTER TABLE target_state ADD COLUMN paused_by VARCHAR(128);
ALTER TABLE target_state ADD COLUMN paused_until TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE target_state ADD COLUMN pause_reminded_at TIMESTAMP(6) WITH TIME ZONE;

-- The journal of operator controls that are not switchovers: pause, resume, a pause that expired, a budget
-- reset, an approval or denial. Who did it is the API key's label, never the key.
CREATE TABLE controls (
    control_id  VARCHAR(64)                 NOT NULL,
    at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    target      VARCHAR(64),
    control     VARCHAR(32)                 NOT NULL,
    by_whom     VARCHAR(128)                NOT NULL,
    reason      VARCHAR,
    detail      VARCHAR,
    CONSTRAINT pk_controls PRIMARY KEY (control_id)
);
CREATE INDEX ix_controls_at ON controls (at);
