package io.switchguard.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A failover budget as the checker read it from the store this cycle (orchestrator#206: "max recoveries per hour",
 * and once applied only a human releases it): the fleet-wide one, or one group's.
 *
 * @param group         the group of targets it counts; null = the whole fleet
 * @param max           automatic switchovers allowed within {@code window} across all targets
 * @param window        the budget's period
 * @param used          automatic switchover attempts journaled within the window, and since the last reset
 * @param brakedAt      when the budget was found spent and automatic action braked; null = not braked
 * @param brakedBecause the sentence that braked it, may be null
 */
public record Budget(String group, int max, Duration window, int used, Instant brakedAt, String brakedBecause) {

    /** The fleet-wide budget. */
    public Budget(int max, Duration window, int used, Instant brakedAt, String brakedBecause) {
        this(null, max, window, used, brakedAt, brakedBecause);
    }

    public Budget {
        Objects.requireNonNull(window, "window");
        if (max < 0 || used < 0) {
            throw new IllegalArgumentException("max and used cannot be negative");
        }
    }

    public boolean braked() {
        return brakedAt != null;
    }

    /** Braked, or spent: this budget refuses the next automatic action. */
    public boolean refuses() {
        return braked() || used >= max;
    }

    /** "fleet-wide" or "for group 'payments'", for the sentences. */
    public String scope() {
        return group == null ? "fleet-wide" : "for group '" + group + "'";
    }

    /** The first of these budgets that refuses, in the order given (the fleet's first). */
    public static java.util.Optional<Budget> refusing(java.util.List<Budget> budgets) {
        return budgets.stream().filter(Budget::refuses).findFirst();
    }
}
