package io.switchguard.cloud;

/**
 * A cloud call ready to send: its verb, its path with the values filled in, the project it is made in (X-Project-Id;
 * null for none) and its JSON body (null for none). Built by {@link CloudCall#in}.
 */
public record CloudRequest(String method, String path, String projectId, String body) {

    public CloudRequest withBody(String json) {
        return new CloudRequest(method, path, projectId, json);
    }
}
