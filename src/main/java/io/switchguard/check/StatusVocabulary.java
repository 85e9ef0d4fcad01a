package io.switchguard.check;

import io.switchguard.probe.ProbeResult.Health;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each status the cloud reports means, one vocabulary per kind (issue 10 item 5): UP (healthy), DOWN (the
 * cloud confirms the primary down), TRANSITIONAL (busy, in transition or held by the cloud: no confirmation and no
 * automatic action while it lasts) and, for any value not listed here, UNKNOWN (no signal). Matching ignores case.
 *
 * <p>Sources, per list: the SDK enum where the official Java SDK has one (DRS v3 {@code QueryJobStatusResp.StatusEnum},
 * DCS v2 {@code InstanceReplicationListInfo.StatusEnum}); where its model has a plain string (DCS instance status,
 * DWS DR status) the documented values (reference §4a, §4c). SdkModelStatusReadersTest fails when an SDK enum gains
 * a value this class does not list.
 *
 * <p>DOWN is kept narrow on purpose: it is the confirmation that lets a failing data plane lead to a switchover.
 * A status of a job or instance that never reached a switchable state (create failed, full sync failed) is not
 * "the primary died": nothing automatic should happen, so it is TRANSITIONAL.
 */
public final class StatusVocabulary {

    /** DCS instance {@code status} (OTC appendix, the v2 status-count API, terraform's refresh states). */
    public static final Map<String, Health> DCS_INSTANCE = vocabulary(
            List.of("RUNNING"),
            List.of("ERROR"),
            List.of("CREATING", "CREATEFAILED", "RESTARTING", "EXTENDING", "RESTORING", "FLUSHING", "UPGRADING",
                    "MIGRATING", "FREEZING", "FROZEN", "DELETING", "PAYING"));

    /**
     * DCS replica {@code status} in the groups answer: the SDK enum is {@code Active | Inactive}; the logical-nodes
     * listing adds Creating, Deleting and AddSharding.
     */
    public static final Map<String, Health> DCS_NODE = vocabulary(
            List.of("ACTIVE"),
            List.of("INACTIVE"),
            List.of("CREATING", "DELETING", "ADDSHARDING"));

    /**
     * DRS job {@code status} (batch-status), every value of the SDK enum. Healthy is the running replication;
     * down is a running replication that broke. PAUSEING is the OTC document's spelling of the SDK's PAUSING.
     */
    public static final Map<String, Health> DRS_JOB = vocabulary(
            List.of("INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED"),
            List.of("INCRE_TRANSFER_FAILED", "CHILD_TRANSFER_FAILED"),
            List.of("CREATING", "CREATE_FAILED", "CONFIGURATION", "STARTJOBING", "WAITING_FOR_START",
                    "START_JOB_FAILED", "PAUSING", "PAUSEING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED",
                    "FULL_TRANSFER_COMPLETE", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED",
                    "RELEASE_RESOURCE_COMPLETE", "CHANGE_JOB_STARTED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_STARTING",
                    "CHILD_TRANSFER_COMPLETE", "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE",
                    "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE", "NODE_UPGRADE_FAILED", "REBUILD_NODE_STARTED",
                    "REBUILD_NODE_FAILED", "DELETED"));

    /** DWS DR {@code status} (the SDK's DisasterRecoveryQueryResp documents these; its field is a string). */
    public static final Map<String, Health> DWS_DR = vocabulary(
            List.of("RUNNING"),
            List.of("ABNORMAL"),
            List.of("CREATING", "CREATE_FAILED", "UNSTART", "STARTING", "START_FAILED", "STOPPING", "STOP_FAILED",
                    "SWITCHOVERING", "DELETING", "DELETED"));

    /** A DWS DR cluster's {@code status}: only abnormal matters, it turns a running DR's word into DOWN. */
    public static final String DWS_CLUSTER_DOWN = "abnormal";

    private StatusVocabulary() {}

    public static Health meaning(Map<String, Health> vocabulary, String status) {
        if (status == null) {
            return Health.UNKNOWN;
        }
        return vocabulary.getOrDefault(status.trim().toUpperCase(Locale.ROOT), Health.UNKNOWN);
    }

    private static Map<String, Health> vocabulary(List<String> up, List<String> down, List<String> transitional) {
        Map<String, Health> m = new HashMap<>();
        up.forEach(s -> m.put(s, Health.UP));
        down.forEach(s -> m.put(s, Health.DOWN));
        transitional.forEach(s -> m.put(s, Health.TRANSITIONAL));
        return Map.copyOf(m);
    }
}
