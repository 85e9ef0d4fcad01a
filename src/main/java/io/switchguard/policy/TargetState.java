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
 * @param pause       maintenance: no automatic action while it holds; null = not paused
 */
public record TargetState(int failures, int lagBreaches, int successes, boolean healthy, long breaches,
                          Instant lastActionAt, Pause pause) {

    /** Who paused when the store or a caller did not say (rows from before pauses had owners). */
    public static final String UNKNOWN_OWNER = "unknown";

    public TargetState {
        if (failures < 0 || lagBreaches < 0 || successes < 0 || breaches < 0) {
            throw new IllegalArgumentException("counters cannot be negative");
        }
    }

    /** A target never seen before: healthy, no streaks, never acted on, not paused. */
    public static TargetState initial() {
        return new TargetState(0, 0, 0, true, 0, null, null);
    }

    public boolean paused() {
        return pause != null;
    }

    public String pauseReason() {
        return pause == null ? null : pause.reason();
    }

    public Instant pausedAt() {
        return pause == null ? null : pause.at();
    }

    public TargetState withStreaks(int failures, int lagBreaches, int successes) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, pause);
    }

    public TargetState withHealthy(boolean healthy, long breaches) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, pause);
    }

    /** The checker ran (or dry-ran) an automatic switchover at this time. */
    public TargetState withLastActionAt(Instant at) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, at, pause);
    }

    /** Paused without an expiry by an unnamed owner (tests and the policy tables). */
    public TargetState paused(String reason, Instant at) {
        return paused(new Pause(UNKNOWN_OWNER, reason, at, null, null));
    }

    public TargetState paused(Pause pause) {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, pause);
    }

    public TargetState resumed() {
        return new TargetState(failures, lagBreaches, successes, healthy, breaches, lastActionAt, null);
    }
}
