package io.switchguard.probe;

import java.net.SocketTimeoutException;
import java.time.Duration;

/** A probe's time budget, fixed when it starts: every blocking step gets only what is left of it. */
final class Deadline {

    private final Duration budget;
    private final long start;
    private final long end;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.start = System.nanoTime();
        this.end = start + budget.toNanos();
    }

    static Deadline after(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + budget);
        }
        return new Deadline(budget);
    }

    Duration budget() {
        return budget;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    long remainingNanos() {
        return end - System.nanoTime();
    }

    boolean passed() {
        return remainingNanos() <= 0;
    }

    /** What is left, at least 1 ms (0 means "forever" to Socket); throws once nothing is left. */
    int remainingMillis() throws SocketTimeoutException {
        long nanos = remainingNanos();
        if (nanos <= 0) {
            throw timeout();
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }

    SocketTimeoutException timeout() {
        return new SocketTimeoutException("timed out after " + budget.toMillis() + " ms");
    }
}
