package io.switchguard.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-target thresholds, from config.
 *
 * @param failureThreshold  failed probes (or probes with lag over the maximum) in one streak that make a breach; at least 1
 * @param recoveryThreshold healthy probes in a row that end a streak and recover an unhealthy target; at least 1
 *                          ({@link #DEFAULT_RECOVERY_THRESHOLD} when not configured)
 * @param maxLagBytes       redis: most replication lag in bytes a standby may have; null = not checked
 * @param maxLag            drs/dws: most replication delay; null = not checked
 * @param cooldown          no second automatic action on the target before this has passed since the last one
 * @param maxDataLoss       RPO guard: most data an automatic or manual failover may lose, as lag or last-sync age;
 *                          null = no RPO guard
 * @param auto              false: breaches are alerted, never acted on
 * @param approve           auto: approve: a decision to act waits for an operator's approval instead of acting
 */
public record Rules(int failureThreshold, int recoveryThreshold, Long maxLagBytes, Duration maxLag,
                    Duration cooldown, Duration maxDataLoss, boolean auto, boolean approve) {

    /** Rules that act without asking (auto true) or only alert (false). */
    public Rules(int failureThreshold, int recoveryThreshold, Long maxLagBytes, Duration maxLag, Duration cooldown,
                 Duration maxDataLoss, boolean auto) {
        this(failureThreshold, recoveryThreshold, maxLagBytes, maxLag, cooldown, maxDataLoss, auto, false);
    }

    /** Two healthy probes in a row: one lucky probe in a flapping streak must not count as recovery. */
    public static final int DEFAULT_RECOVERY_THRESHOLD = 2;

    public Rules {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
        }
        if (recoveryThreshold < 1) {
            throw new IllegalArgumentException("recoveryThreshold must be at least 1, was " + recoveryThreshold);
        }
        Objects.requireNonNull(cooldown, "cooldown");
    }
}
