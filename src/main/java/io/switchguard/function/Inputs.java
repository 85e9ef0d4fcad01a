package io.switchguard.function;

import io.switchguard.config.ConfigValidator;
import io.switchguard.http.ApiException;
import io.switchguard.switchover.Resolution;
import io.switchguard.switchover.SwitchoverRequest;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of function input (CONTRACT §4): unknown fields are ignored; a missing, malformed or wrongly
 * typed known field is a 400 before anything else happens, so bad input never reaches the cloud.
 */
public final class Inputs {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_REASON = 500;
    private static final Set<String> DRS_MODES = Set.of("source", "target");

    private Inputs() {}

    static SwitchoverRequest switchover(Map<String, Object> body, String action) {
        if (body == null) {
            throw ApiException.badRequest("a JSON object body is required, e.g. {\"target\":\"orders-cache\"}");
        }
        String target = targetName(body.get("target"), true);
        String reason = string(body, "reason");
        if (reason != null && reason.length() > MAX_REASON) {
            throw ApiException.badRequest("reason: at most " + MAX_REASON + " characters");
        }
        String requestId = string(body, "requestId");
        if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
            throw ApiException.badRequest("requestId: must match [A-Za-z0-9_-]{1,64}");
        }
        String mode = null;
        if ("switch-vip".equals(action)) {
            mode = string(body, "mode");
            if (mode != null && !DRS_MODES.contains(mode)) {
                throw ApiException.badRequest("mode: must be source or target");
            }
        }
        return SwitchoverRequest.manual(target, action, reason, requestId, bool(body, "force"), bool(body, "dryRun"),
                mode);
    }

    /** POST /resolve: {"target","actionId","outcome":"SUCCEEDED|FAILED|RELEASE","reason"}, all required. */
    static Resolution resolution(Map<String, Object> body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON object body is required: {\"target\",\"actionId\",\"outcome\",\"reason\"}");
        }
        String target = targetName(body.get("target"), true);
        String actionId = string(body, "actionId");
        if (actionId == null || !REQUEST_ID.matcher(actionId).matches()) {
            throw ApiException.badRequest("actionId: required, the actionId of the entry to resolve");
        }
        String outcome = string(body, "outcome");
        Resolution.Outcome parsed = java.util.Arrays.stream(Resolution.Outcome.values())
                .filter(o -> o.name().equals(outcome)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("outcome: required, SUCCEEDED, FAILED or RELEASE"));
        String reason = string(body, "reason");
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw ApiException.badRequest("reason: required, what was checked by hand (at most " + MAX_REASON
                    + " characters)");
        }
        return new Resolution(target, actionId, parsed, reason, null);
    }

    /** A target name; required or not, and a 400 naming the rule when malformed. */
    /** A target name field: the one rule every function (drills and schedules too) applies. */
    public static String targetName(Object value, boolean required) {
        if (value == null) {
            if (required) {
                throw ApiException.badRequest("target: required");
            }
            return null;
        }
        if (!(value instanceof String s) || !ConfigValidator.ID.matcher(s).matches()) {
            throw ApiException.badRequest("target: must be a string matching [A-Za-z0-9-]{1,64}");
        }
        return s;
    }

    /** A string field, or null when absent; any other JSON type is a 400 naming the field. */
    public static String string(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiException.badRequest(field + ": must be a string");
        }
        return s;
    }

    private static boolean bool(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw ApiException.badRequest(field + ": must be true or false");
        }
        return b;
    }
}
