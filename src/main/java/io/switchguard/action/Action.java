package io.switchguard.action;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One switchover attempt: the function result (CONTRACT §4) and the journal entry are the same record.
 * Nullable fields: reason, detail, requestId, finishedAt, cloud, errorCode, errorMsg. The error fields are set
 * exactly when the answer is not a 2xx, and serialize as CONTRACT §4's error_code / error_msg.
 */
public record Action(
        String actionId,
        String target,
        String kind,
        String action,
        String trigger,
        ActionStatus status,
        Verification verification,
        String reason,
        String detail,
        String requestId,
        boolean forced,
        boolean dryRun,
        Instant startedAt,
        Instant finishedAt,
        Cloud cloud,
        @JsonProperty("error_code") @JsonInclude(JsonInclude.Include.NON_NULL) String errorCode,
        @JsonProperty("error_msg") @JsonInclude(JsonInclude.Include.NON_NULL) String errorMsg,
        List<Step> steps) {

    /** What the cloud answered to the switchover call itself. All fields nullable. */
    public record Cloud(Integer httpStatus, String errorCode, String errorMsg, String requestId) {}

    /** One journal line of an action: a guard passed, a cloud call made, a verification poll. */
    public record Step(Instant at, String name, String detail) {}

    public boolean finished() {
        return finishedAt != null;
    }

    public Action withSteps(List<Step> steps) {
        return new Action(actionId, target, kind, action, trigger, status, verification, reason, detail,
                requestId, forced, dryRun, startedAt, finishedAt, cloud, errorCode, errorMsg, steps);
    }
}
