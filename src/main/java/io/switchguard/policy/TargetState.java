package io.switchguard.policy;

import java.time.Instant;

/**
 * What survives between cycles and restarts; the checker persists it in the store.
 *
 * @param failures    failed probes in the current streak; only recoveryThreshold healthy probes in a row reset it
 * @param lagBreaches probes with lag over the maximum in the current streak; reset like failures
 * @param successes   healthy probes in a row
 * @param healthy     false from the cycle a breach starts until the target recovers
 * @param breaches    breach episodes seen (counted when one starts, not per cycle)
 * @param lastActionAt when the checker last ran an automatic switchover on the target (set by the checker when it
 *                    acts, dry run included, so cooldown spaces out repeated decisions); null = never
 * @param paused      maintenance: no automatic action
 * @param pauseReason the operator's reason, may be null
 * @param pausedAt    when it was paused, may be null
 */
public record TargetState(int failures, int lagBreaches, int successes, boolean healthy, long breaches,
                          Instant lastActionAt, boolean paused, String pauseReason, Instant pausedAt) {

    public TargetState {
        if (failures < 0 || lagBreaches < 0 || successes < 0 || breaches < 0) {
            throw new IllegalArgumentException("counters cannot be negative");
        }
    }

    /** A target never seen before: healthy, no streaks, never acted on, not paused. */
    public static TargetState initial() {
        return new TargetState(0, 0, 0, true, 0, null, false, null, null);
    }

    public TargetState withStreaks(int failures, int lagBreaches, int successes) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, paused, pauseReason,
                pausedAt);
    }

    public TargetState withHealthy(boolean healthy, long breaches) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, paused, pauseReason,
                pausedAt);
    }

    /** The checker ran (or dry-ran) an automatic switchover at this time. */
    public TargetState withLastActionAt(Instant at) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, at, paused, pauseReason, pausedAt);
    }

    public TargetState paused(String reason, Instant at) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, true, reason, at);
    }

    public TargetState resumed() {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, false, null, null);
    }
}
