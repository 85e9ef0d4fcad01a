package io.switchguard.kinds.dws;

import io.switchguard.cloud.CloudCall;

/**
 * DWS v2 disaster recovery: the exception failover and the planned switchover (200 = submitted only, both) and
 * the DR detail that says when either is done. Paths as in the SDK's DwsMeta (DwsSdkRequestsTest).
 */
final class DwsApi {

    static final CloudCall FAILOVER = CloudCall.post("v2/{project_id}/disaster-recovery/{dr_id}/failover");
    /** Planned switchover: a healthy DR trades roles without data loss (the cloud refuses an unhealthy one). */
    static final CloudCall SWITCHOVER = CloudCall.post("v2/{project_id}/disaster-recovery/{dr_id}/switchover");
    static final CloudCall DETAIL = CloudCall.get("v2/{project_id}/disaster-recovery/{dr_id}");

    private DwsApi() {
    }
}
