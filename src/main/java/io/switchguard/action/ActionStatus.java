package io.switchguard.action;

/** Outcome of a switchover attempt (CONTRACT §4) with the HTTP status a function answers with. */
public enum ActionStatus {
    SUCCEEDED(200),
    SUBMITTED(202),
    DRY_RUN(200),
    REJECTED(409),
    FAILED(502),
    UNKNOWN(504);

    private final int httpStatus;

    ActionStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
