package io.switchguard.kinds.dcs;

import io.switchguard.cloud.CloudCall;

/** DCS (Redis) v2 and v1.0 APIs used by switchguard. Responses stay raw: success rules differ per call. */
final class DcsApi {

    static final CloudCall SWAP = CloudCall.post("v2/{project_id}/instances/{instance_id}/swap");
    /** v1.0 answers 200 even when the swap failed: the body's code says it. */
    static final CloudCall SWAP_V1 = CloudCall.put("v1.0/{project_id}/instances/{instance_id}/swap");
    /** Shards and replicas with their master/slave roles; note the singular "instance". */
    static final CloudCall GROUPS = CloudCall.get("v2/{project_id}/instance/{instance_id}/groups");
    static final CloudCall INSTANCE = CloudCall.get("v2/{project_id}/instances/{instance_id}");

    private DcsApi() {
    }
}
