package io.switchguard.switchover;

import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudResponse;

/** Shared reading of status-API answers for the kind drivers. */
public final class Answers {

    private static final java.util.regex.Pattern CLOUD_CODE = java.util.regex.Pattern.compile("[A-Za-z]+\\.[A-Za-z0-9.]+");

    private Answers() {}

    /** The cloud's own code (DCS.4855, APIGW.0203) when it looks like one, else ours. */
    public static String errorCode(String cloudCode, String fallback) {
        return cloudCode != null && CLOUD_CODE.matcher(cloudCode).matches() ? cloudCode : fallback;
    }

    /** A 404 from a status API means the API (or its data) is not there: verification cannot be done. */
    public static KindDriver.Check unusable(CloudResponse response, String what) {
        if (response instanceof CloudResponse.Answered a) {
            if (a.status() == 404) {
                return new KindDriver.Check(KindDriver.Check.Verdict.UNAVAILABLE, what + " answered 404: not available here");
            }
            return new KindDriver.Check(KindDriver.Check.Verdict.PENDING,
                    what + " answered HTTP " + a.status() + ": " + (a.error() != null ? a.error().message() : ""));
        }
        return new KindDriver.Check(KindDriver.Check.Verdict.PENDING, what + " failed: " + reason(response));
    }

    public static String reason(CloudResponse response) {
        if (response instanceof CloudResponse.NotSent n) {
            return n.reason();
        }
        if (response instanceof CloudResponse.NoAnswer n) {
            return n.reason();
        }
        return "HTTP " + ((CloudResponse.Answered) response).status();
    }

    /**
     * An error status. Only a 4xx that carries the cloud's own error body proves the request was refused before
     * it ran. A 5xx (an API gateway answers 502/504 after the backend executed) or an error without the cloud's
     * body may come after the switch happened: the outcome is unknown until the state is read, and the cloud's
     * code is kept for the FAILED it becomes if the state shows nothing changed.
     */
    public static KindDriver.Interpretation error(CloudResponse.Answered a) {
        boolean cloudsOwnBody = a.body() != null && a.body().isObject() && a.error() != null && a.error().code() != null;
        if (a.status() < 500 && cloudsOwnBody) {
            return refused(a);
        }
        String code = a.error() != null ? a.error().code() : null;
        String msg = a.error() != null ? a.error().message() : "HTTP " + a.status();
        return new KindDriver.Interpretation(ActionStatus.UNKNOWN, code, msg, "HTTP " + a.status()
                + " does not show the call was refused before it ran; checking the state");
    }

    public static KindDriver.Interpretation refused(CloudResponse.Answered a) {
        String code = a.error() != null ? a.error().code() : null;
        String msg = a.error() != null ? a.error().message() : "HTTP " + a.status();
        return new KindDriver.Interpretation(ActionStatus.FAILED, code, msg, "the cloud refused: HTTP " + a.status());
    }

    /** A 2xx the kind's rule does not recognise: the switch may or may not have happened. */
    public static KindDriver.Interpretation ambiguous(CloudResponse.Answered a, String expected) {
        return new KindDriver.Interpretation(ActionStatus.UNKNOWN, null, null,
                "unexpected answer HTTP " + a.status() + " (expected " + expected + "); checking the state");
    }
}
