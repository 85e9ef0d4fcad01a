-- Approval mode (issue #16 part 2): a decision to switch over that waits for an operator's approval or denial,
-- or for its deadline. open_target is the target while the request is open (PENDING, or APPROVING while the
-- approving replica acts) and NULL once it ended: the unique constraint keeps one open request per target across
-- replicas, and claiming one is a compare and set on its status, so it is acted on once.
CREATE TABLE approvals (
    approval_id    VARCHAR(64)                 NOT NULL,
    target         VARCHAR(64)                 NOT NULL,
    open_target    VARCHAR(64),
    episode        BIGINT                      NOT NULL,
    action_name    VARCHAR(32)                 NOT NULL,
    status         VARCHAR(16)                 NOT NULL,
    diagnosis      VARCHAR(64)                 NOT NULL,
    reason         VARCHAR                     NOT NULL,
    signals        VARCHAR,
    observed_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    requested_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    deadline       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    on_timeout     VARCHAR(16)                 NOT NULL,
    answered_at    TIMESTAMP(6) WITH TIME ZONE,
    answered_by    VARCHAR(128),
    answer_reason  VARCHAR,
    outcome        VARCHAR,
    action_id      VARCHAR(64),
    CONSTRAINT pk_approvals PRIMARY KEY (approval_id),
    CONSTRAINT uq_approvals_open UNIQUE (open_target)
);
CREATE INDEX ix_approvals_target ON approvals (target, episode);
