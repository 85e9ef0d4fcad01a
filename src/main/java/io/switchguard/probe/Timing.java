package io.switchguard.probe;

import java.time.Duration;

/** A probe's clock: its timeout checked once, its latency measured from its start. */
final class Timing {

    private Timing() {}

    /** Fails at construction on a zero or negative timeout, not at the first probe. */
    static Duration positive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return timeout;
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String timedOut(Duration timeout) {
        return "timed out after " + timeout.toMillis() + " ms";
    }
}
