package io.switchguard.cloud;

/** SMN message publishing. */
final class SmnApi {

    static final CloudCall PUBLISH = CloudCall.post("v2/{project_id}/notifications/topics/{topic_urn}/publish");

    private SmnApi() {
    }
}
