package io.switchguard.switchover;

import io.switchguard.store.Lease;
import java.time.Instant;

/**
 * A validated request to switch a target over, from a function (trigger "manual") or the checker ("auto").
 * reason, requestId and mode may be null; action is the function called (swap, switch-vip, failover).
 * lease is this replica's own leader term that made the checker act (its fence), null for a manual call;
 * decidedOn is the instant of the observation an automatic decision was made on, null for a manual call.
 */
public record SwitchoverRequest(
        String target,
        String action,
        String trigger,
        String reason,
        String requestId,
        boolean force,
        boolean dryRun,
        String mode,
        Lease lease,
        Instant decidedOn) {

    /** A manual request: no fence, no observation. */
    public static SwitchoverRequest manual(String target, String action, String reason, String requestId,
            boolean force, boolean dryRun, String mode) {
        return new SwitchoverRequest(target, action, "manual", reason, requestId, force, dryRun, mode, null, null);
    }
}
