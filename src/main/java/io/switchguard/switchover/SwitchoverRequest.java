package io.switchguard.switchover;

import io.switchguard.store.Lease;

/**
 * A validated request to switch a target over, from a function (trigger "manual") or the checker ("auto").
 * reason, requestId and mode may be null; action is the function called (swap, switch-vip, failover).
 * lease is the checker's leader lease for an automatic action (its fence), null for a manual one.
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
        Lease lease) {}
