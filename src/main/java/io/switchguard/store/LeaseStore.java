package io.switchguard.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A leader lease among replicas sharing the store (table {@code leases}, {@code V4__lease.sql}). Expiry
 * is judged by the database clock only, so clock skew between replicas does not matter. Terms are
 * numbered: a new holder, or a holder coming back after its lease lapsed, gets epoch + 1.
 *
 * <p>Holding the lease is a hint for scheduling ("should I run the checker?"); fencing is the
 * guarantee: a write that must only happen under a live term goes through {@link #fenced} or
 * {@link ActionStore#open}, {@link ActionStore#beforeCall}, which check the term in the same transaction, so an old leader
 * that was paused past its expiry cannot write once a new term began.
 */
public interface LeaseStore {

    /** The lease of the automatic checker: only its holder probes and acts on breaches. */
    String CHECKER = "checker";

    /**
     * Renews the lease if {@code holder} holds it live (same epoch, expiry pushed to now + ttl), takes
     * it with epoch + 1 if it is free or lapsed (whoever held it), and otherwise leaves it alone.
     * Returns the lease as it is after the call: {@code result.heldBy(holder)} says whether this
     * holder leads. Of several racing takers of a lapsed lease exactly one wins.
     */
    Lease acquireOrRenew(String holder, Duration ttl);

    /** The latest term, live or lapsed; empty if the lease was never taken. */
    Optional<Lease> current();

    /** The latest term if it is live now (database clock). */
    Optional<Lease> live();

    /**
     * Ends the holder's live term now so another replica can take over at once (with epoch + 1).
     * Does nothing if {@code holder} does not hold it.
     */
    void release(String holder);

    /**
     * Runs {@code write} in one transaction only while {@code lease} is the live term: the lease row
     * is locked and checked (same name, holder and epoch, unexpired by the database clock) first, so a
     * takeover cannot commit between the check and the write; it waits for this transaction.
     *
     * @throws FencedException when the term is not live; nothing is written
     * @throws StoreException when the database fails; nothing is written
     */
    <T> T fenced(Lease lease, FencedWrite<T> write);

    /** The write of {@link #fenced}: runs on the fenced transaction's connection; do not commit or close it. */
    @FunctionalInterface
    interface FencedWrite<T> {
        T run(Connection connection) throws SQLException;
    }
}
