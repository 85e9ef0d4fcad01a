package io.switchguard.switchover;

import io.switchguard.cloud.CloudResponse;

/** Shared reading of status-API answers for the kind drivers. */
final class Answers {

    private Answers() {}

    /** A 404 from a status API means the API (or its data) is not there: verification cannot be done. */
    static KindDriver.Check unusable(CloudResponse response, String what) {
        if (response instanceof CloudResponse.Answered a) {
            if (a.status() == 404) {
                return new KindDriver.Check(KindDriver.Check.Verdict.UNAVAILABLE, what + " answered 404: not available here");
            }
            return new KindDriver.Check(KindDriver.Check.Verdict.PENDING,
                    what + " answered HTTP " + a.status() + ": " + (a.error() != null ? a.error().message() : ""));
        }
        return new KindDriver.Check(KindDriver.Check.Verdict.PENDING, what + " failed: " + reason(response));
    }

    static String reason(CloudResponse response) {
        if (response instanceof CloudResponse.NotSent n) {
            return n.reason();
        }
        if (response instanceof CloudResponse.NoAnswer n) {
            return n.reason();
        }
        return "HTTP " + ((CloudResponse.Answered) response).status();
    }

    static KindDriver.Interpretation refused(CloudResponse.Answered a) {
        String code = a.error() != null ? a.error().code() : null;
        String msg = a.error() != null ? a.error().message() : "HTTP " + a.status();
        return new KindDriver.Interpretation(ActionStatus.FAILED, code, msg, "the cloud refused: HTTP " + a.status());
    }

    /** A 2xx the kind's rule does not recognise: the switch may or may not have happened. */
    static KindDriver.Interpretation ambiguous(CloudResponse.Answered a, String expected) {
        return new KindDriver.Interpretation(ActionStatus.UNKNOWN, null, null,
                "unexpected answer HTTP " + a.status() + " (expected " + expected + "); checking the state");
    }
}
