package io.switchguard.policy;

import static io.switchguard.policy.Texts.duration;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the checker should not trust its own timing: its loop ran late (a GC pause, a frozen VM, a thawed FaaS
 * instance: Redis Sentinel's TILT), or it has only just started or become lease holder and has no fresh view of its
 * own yet (orchestrator postpones analysis after a leader change). Either way a decision may alert but not act.
 * Pure: the checker passes the instants and what it remembers.
 */
public final class SelfDistrust {

    private SelfDistrust() {}

    /**
     * Late: the time since the last counted probe of the target is over twice the expected period plus the probe
     * timeout. The expected period is the probe interval, or the cadence cycles are driven at when that is slower
     * (a FaaS timer).
     *
     * @param lastCounted the previous counted probe, by any replica; null = none (warm-up covers a first one)
     * @param cyclePeriod how often cycles are driven from outside; null = by the probe interval
     */
    public static Optional<String> late(Instant lastCounted, Instant at, Duration interval, Duration timeout,
                                        Duration cyclePeriod) {
        if (lastCounted == null) {
            return Optional.empty();
        }
        Duration since = Duration.between(lastCounted, at);
        Duration expected = cyclePeriod != null && cyclePeriod.compareTo(interval) > 0 ? cyclePeriod : interval;
        // Not multipliedBy: it computes in BigDecimal, on every counted probe of every target.
        Duration limit = expected.plus(expected).plus(timeout);
        if (since.compareTo(limit) <= 0) {
            return Optional.empty();
        }
        return Optional.of("the checker ran late: " + duration(since) + " since the last counted probe of the target,"
                + " over 2 x " + (expected == interval ? "interval " : "cycle period ") + duration(expected)
                + " + timeout " + duration(timeout) + " (a GC pause, a frozen VM or a thawed FaaS instance): this"
                + " cycle may alert but not act");
    }

    /**
     * Warm-up: a replica acts on a target only on a view it built itself in its current lease term, so the probe
     * before this one must have been its own, in this term.
     *
     * @param observedInTerm the lease epoch in which this replica last counted a probe of the target; null = never
     *                       since it started
     */
    public static Optional<String> warmingUp(Long observedInTerm, long epoch) {
        if (observedInTerm != null && observedInTerm == epoch) {
            return Optional.empty();
        }
        return Optional.of("warming up: this replica " + (observedInTerm == null ? "has just started"
                : "has just become lease holder (term " + epoch + ")") + " and has no earlier observation of its own"
                + " of the target in this term: it acts only after a full set of fresh observations");
    }
}
