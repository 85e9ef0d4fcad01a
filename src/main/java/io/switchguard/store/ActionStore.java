package io.switchguard.store;

import io.switchguard.switchover.Action;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The journal, idempotency keys and the per-target switchover lock. One interface, whatever database
 * is behind it, so single flight and idempotency hold across threads, replicas and FaaS instances.
 */
public interface ActionStore {

    /**
     * Journals an attempt before anything is sent to the cloud. Throws {@link DuplicateRequestIdException}
     * when the action's requestId is already in the journal (checked by a unique index, so concurrent
     * callers with the same id cannot both get through).
     */
    default void begin(Action action) {
        begin(action, null);
    }

    /** As {@link #begin(Action)}, with the event (nullable) written to the outbox in the same transaction. */
    void begin(Action action, OutboxEvent event);

    /**
     * As {@link #begin(Action, OutboxEvent)}, but only while {@code lease} is the live leader term:
     * for automatic actions. The lease is checked and its row locked in the same transaction as the
     * insert, before any cloud call, so an old leader that was paused or partitioned past its expiry
     * cannot journal (and so cannot start) an action once another replica's term began.
     *
     * @throws FencedException when the term is not live any more; nothing is journaled
     */
    void beginFenced(Action action, OutboxEvent event, Lease lease);

    /** Replaces status, verification, detail, finishedAt, cloud and error of a journaled action (steps untouched). */
    default void update(Action action) {
        update(action, null);
    }

    /** As {@link #update(Action)}, with the event (nullable) written to the outbox in the same transaction. */
    void update(Action action, OutboxEvent event);

    /** Appends one journal line to an action. */
    void step(String actionId, Action.Step step);

    /** With its steps. */
    Optional<Action> find(String actionId);

    /** With its steps. */
    Optional<Action> findByRequestId(String requestId);

    /** Newest first (by startedAt), with steps; target null = all targets. */
    List<Action> list(String target, int limit);

    /**
     * Takes the switchover lock of a target for {@code ttl} (database clock), or returns false when
     * another owner holds an unexpired lock. A crashed holder's lock expires.
     */
    boolean tryLock(String target, String owner, Duration ttl);

    /** Pushes the expiry of a lock this owner holds (long follow-ups such as a DWS failover). */
    void extendLock(String target, String owner, Duration ttl);

    void unlock(String target, String owner);
}
