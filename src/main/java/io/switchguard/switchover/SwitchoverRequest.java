package io.switchguard.switchover;

import io.switchguard.store.Lease;
import java.time.Instant;

/**
 * A validated request to switch a target over, from a function (trigger "manual"), the checker ("auto"), a
 * scheduled switchover ("scheduled") or a drill ("drill"). All but "auto" pass the manual guards at call time.
 * reason, requestId and mode may be null; action is the function called (swap, switch-vip, failover).
 * lease is this replica's own leader term that made the checker act (its fence), null for a manual call;
 * decidedOn is the instant of the observation an automatic decision was made on, null for a manual call.
 * caller is who asked, as the journal names them (an API key's label), null where nobody did (the checker, a
 * schedule).
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
        Instant decidedOn,
        String caller) {

    /** The checker's trigger: the only one whose guards ran on its own observation. */
    public static final String AUTO = "auto";

    /**
     * A planned request made on an operator's behalf (a scheduled switchover, a drill's switch): the manual guards,
     * and the fence of the leader that runs it when there is one (lease nullable).
     */
    public static SwitchoverRequest planned(String target, String action, String trigger, String reason,
            String requestId, boolean force, String mode, Lease lease) {
        return new SwitchoverRequest(target, action, trigger, reason, requestId, force, false, mode, lease, null,
                null);
    }

    /** A manual request: no fence, no observation. */
    public static SwitchoverRequest manual(String target, String action, String reason, String requestId,
            boolean force, boolean dryRun, String mode) {
        return new SwitchoverRequest(target, action, "manual", reason, requestId, force, dryRun, mode, null, null,
                null);
    }

    /** The same request, asked by caller. */
    public SwitchoverRequest withCaller(String who) {
        return new SwitchoverRequest(target, action, trigger, reason, requestId, force, dryRun, mode, lease, decidedOn,
                who);
    }
}
