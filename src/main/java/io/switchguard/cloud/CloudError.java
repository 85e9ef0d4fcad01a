package io.switchguard.cloud;

import com.fasterxml.jackson.databind.JsonNode;

/** A cloud error body, from whichever of the three shapes the service used (reference §7). */
public record CloudError(String code, String message) {

    private static final int MAX_EXCERPT = 200;

    /**
     * Parses {error_code, error_msg}, {code, message} and the gateway's {error: {code, message}}.
     * A body that is empty or not JSON still yields a message naming the HTTP status.
     */
    public static CloudError parse(int status, JsonNode json, String raw) {
        if (json != null && json.isObject()) {
            JsonNode nested = json.path("error");
            if (nested.isObject()) {
                return new CloudError(text(nested, "code"), text(nested, "message"));
            }
            String code = text(json, "error_code");
            String msg = text(json, "error_msg");
            if (code == null && msg == null) {
                code = text(json, "code");
                msg = text(json, "message");
            }
            if (code != null || msg != null) {
                return new CloudError(code, msg != null ? msg : "HTTP " + status);
            }
        }
        if (raw == null || raw.isBlank()) {
            return new CloudError(null, "HTTP " + status + " with an empty body");
        }
        String excerpt = raw.strip().replaceAll("\\s+", " ");
        if (excerpt.length() > MAX_EXCERPT) {
            excerpt = excerpt.substring(0, MAX_EXCERPT) + "…";
        }
        return new CloudError(null, "HTTP " + status + " with a non-JSON body: " + excerpt);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
