package io.switchguard.cloud;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What became of one cloud call. The three cases matter for safety: only {@link NotSent} may be retried,
 * because only then do we know the cloud never saw the request.
 */
public sealed interface CloudResponse {

    /** The cloud answered. body is the parsed JSON (MissingNode when empty or not JSON); error is set for status >= 400. */
    record Answered(int status, JsonNode body, String rawBody, String requestId, CloudError error) implements CloudResponse {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Connection refused or connect timeout: nothing reached the cloud. */
    record NotSent(String reason) implements CloudResponse {}

    /** Read timeout or a broken connection after the request may have been sent: the outcome is unknown. */
    record NoAnswer(String reason) implements CloudResponse {}
}
