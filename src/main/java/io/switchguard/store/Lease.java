package io.switchguard.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One term of a leader lease, as the store saw it: {@code holder} leads from {@code since} until
 * {@code expiresAt} (both database clock) unless it renews. {@code epoch} identifies the term; pass
 * the whole record to a fenced write ({@link LeaseStore#fenced}, {@link ActionStore#open}, {@link ActionStore#beforeCall}).
 */
public record Lease(String name, String holder, long epoch, Instant since, Instant expiresAt) {

    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean heldBy(String candidate) {
        return holder.equals(candidate);
    }
}
