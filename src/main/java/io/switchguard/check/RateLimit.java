package io.switchguard.check;

import java.time.Clock;

/**
 * A token bucket: {@code perSecond} calls a second, at most a second's worth at once. A call over it is refused at
 * once, never waited for: the reader then reports no signal rather than delay the checker.
 */
final class RateLimit {

    private final int perSecond;
    private final Clock clock;
    // guarded by this
    private double tokens;
    private long refilledAt;

    RateLimit(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
        this.tokens = perSecond;
        this.refilledAt = clock.millis();
    }

    int perSecond() {
        return perSecond;
    }

    /** Takes {@code calls} tokens if there are that many. */
    synchronized boolean tryAcquire(int calls) {
        long now = clock.millis();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1000.0);
        refilledAt = now;
        if (tokens < calls) {
            return false;
        }
        tokens -= calls;
        return true;
    }
}
