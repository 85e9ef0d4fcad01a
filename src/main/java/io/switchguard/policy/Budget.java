package io.switchguard.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The fleet-wide failover budget as the checker read it from the store this cycle (orchestrator#206: "max
 * recoveries per hour", and once applied only a human releases it).
 *
 * @param max           automatic switchovers allowed within {@code window} across all targets
 * @param window        the budget's period
 * @param used          automatic switchover attempts journaled within the window, and since the last reset
 * @param brakedAt      when the budget was found spent and automatic action braked; null = not braked
 * @param brakedBecause the sentence that braked it, may be null
 */
public record Budget(int max, Duration window, int used, Instant brakedAt, String brakedBecause) {

    public Budget {
        Objects.requireNonNull(window, "window");
        if (max < 0 || used < 0) {
            throw new IllegalArgumentException("max and used cannot be negative");
        }
    }

    public boolean braked() {
        return brakedAt != null;
    }
}
