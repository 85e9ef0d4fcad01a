package io.switchguard.switchover;

/**
 * A validated request to switch a target over, from a function (trigger "manual") or the checker ("auto").
 * reason, requestId and mode may be null; action is the function called (swap, switch-vip, failover).
 */
public record SwitchoverRequest(
        String target,
        String action,
        String trigger,
        String reason,
        String requestId,
        boolean force,
        boolean dryRun,
        String mode) {}
