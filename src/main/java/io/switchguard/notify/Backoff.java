package io.switchguard.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Retry delays: {@code first} after the first failed attempt, doubling per attempt, capped at {@code cap}, each
 * drawn from [80 %, 100 %] of that value so that many events failing together do not retry in lockstep.
 */
public record Backoff(Duration first, Duration cap) {

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= cap: " + first + ", " + cap);
        }
    }

    /**
     * The delay after failed attempt number {@code attempt} (1 = the first attempt failed).
     *
     * @param random uniform in [0, 1)
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1: " + attempt);
        }
        long firstMillis = first.toMillis();
        long capMillis = cap.toMillis();
        // Doubling stops at the cap well before a shift could overflow.
        long base = firstMillis;
        for (int i = 1; i < attempt && base < capMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, capMillis);
        double jitter = 0.8 + 0.2 * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(base * jitter)));
    }
}
