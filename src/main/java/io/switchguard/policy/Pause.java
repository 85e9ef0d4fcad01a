package io.switchguard.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator's pause of automatic action on a target.
 *
 * @param by         who paused: the API key's label (never the key itself)
 * @param reason     the operator's reason, may be null
 * @param at         when it was paused
 * @param until      when it ends by itself; null = until resumed
 * @param remindedAt when the last "still paused" reminder was raised; null = none yet
 */
public record Pause(String by, String reason, Instant at, Instant until, Instant remindedAt) {

    public Pause {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }

    /** The pause has run out at {@code now}: it no longer holds anything back. */
    public boolean expired(Instant now) {
        return until != null && !now.isBefore(until);
    }

    public Duration age(Instant now) {
        return Duration.between(at, now);
    }

    public Pause remindedAt(Instant when) {
        return new Pause(by, reason, at, until, when);
    }
}
