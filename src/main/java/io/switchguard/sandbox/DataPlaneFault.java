package io.switchguard.sandbox;

/**
 * Faults the {@link CloudSimulator} can inject into one resource's simulated data plane (as opposed to
 * {@link SandboxFault}, which fails API calls). One fault per resource; setting another replaces it.
 *
 * <p>DOWN, SLOW and FLAP are pinned to what was primary when the fault was set (the DCS master
 * <em>node</em>, the DRS VIP side, the DWS primary <em>cluster</em>), not to the role: after a
 * switchover moves the role away, the new primary is healthy and the breach clears. LAG belongs to the
 * replication link, so it follows whichever node is standby.
 */
public enum DataPlaneFault {
    /**
     * DCS: the node stops answering (connections are accepted and closed at once), the standby reports
     * {@code master_link_status:down}, the groups API shows the node {@code Inactive} and, while it is
     * the master, the instance detail says {@code ERROR}. DRS: batch-status / batch-progress say
     * {@code INCRE_TRANSFER_FAILED}. DWS: DR status and the cluster's status {@code abnormal}.
     */
    DOWN,
    /** DCS only: the node answers every command after the simulator's data-plane slow delay (default 3 s). */
    SLOW,
    /**
     * DCS: the standby is behind by the configured byte count (default 200 MiB). DRS: batch-progress
     * {@code incre_trans_delay} at least the configured delay (default 10 min). DWS: {@code last_success_time}
     * at least the configured age in the past (default 4 h).
     */
    LAG,
    /**
     * DOWN during the first of every three slices (slice default 1 s: down 1 s, up 2 s), counted from
     * the moment the fault is set; only the data plane flaps, the DCS status APIs do not see it (a
     * blip this short never reaches them). DRS and DWS have no data plane, so there the DOWN status flaps.
     */
    FLAP
}
