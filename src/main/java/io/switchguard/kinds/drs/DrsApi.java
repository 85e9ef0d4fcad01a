package io.switchguard.kinds.drs;

import io.switchguard.cloud.CloudCall;

/** DRS v3: dual-VIP switchover and the job status/progress queries. Bodies are pre-serialized JSON. */
final class DrsApi {

    static final CloudCall SWITCH_VIP = CloudCall.post("v3/{project_id}/jobs/{job_id}/switch-vip");
    static final CloudCall SWITCH_VIP_STATUS = CloudCall.get("v3/{project_id}/jobs/{job_id}/get-switch-vip-status");
    static final CloudCall BATCH_STATUS = CloudCall.post("v3/{project_id}/jobs/batch-status");
    static final CloudCall BATCH_PROGRESS = CloudCall.post("v3/{project_id}/jobs/batch-progress");

    private DrsApi() {
    }
}
