package io.switchguard.store;

import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import java.time.Duration;
import java.time.Instant;
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

    /** A switchover in the journal, and how long before now the store journaled it, by the database's clock. */
    record Switched(Action action, Duration ago) {}

    /**
     * The target's newest entry that may have traded the roles (SUCCEEDED, SUBMITTED or UNKNOWN, not a dry run),
     * with its steps, however many entries came after it. Newest by the database's clock: started_at is each
     * journaling replica's own.
     */
    Optional<Switched> lastSwitchover(String target);

    /**
     * Takes the switchover lock of a target for {@code ttl} (database clock), or returns false when
     * another owner holds an unexpired lock. A crashed holder's lock expires.
     */
    boolean tryLock(String target, String owner, Duration ttl);

    /**
     * Pushes the expiry of a lock this owner holds (long follow-ups such as a DWS failover); false when it holds
     * none (an operator's outcome or release gave it back, or another switchover took it after it lapsed).
     */
    boolean extendLock(String target, String owner, Duration ttl);

    /** Gives back a lock this process holds for {@code owner} (one another process took over stays its). */
    void unlock(String target, String owner);

    /** Gives back the lock of {@code owner}, whichever process holds it: an operator's release. */
    void release(String target, String owner);

    // --- the switchover's phases: one transaction each ---

    /** What {@link #open} did. Only STARTED journaled anything. */
    enum Opened {
        /** The lock is this action's and the entry is journaled. */
        STARTED,
        /** Another owner holds a live lock on the target. */
        LOCKED,
        /** The requestId is in the journal already. */
        DUPLICATE,
        /** The fence lease is not the live term. */
        FENCED,
        /** The journal has an action on the target that may have changed roles since the decision. */
        SUPERSEDED,
        /** An earlier action on the target called the cloud and its outcome was not read (its lock lapsed). */
        UNREAD
    }

    /**
     * Phase "before the call", first half, in one transaction: takes the target's lock for the action (owner =
     * actionId), checks the fence (lease, nullable), refuses when an action that may have changed roles was journaled
     * since the decision, made {@code decidedAgo} before this call by the caller's clock (nullable: no decision), and
     * journals the action with its steps. Nothing is written unless STARTED. An age, not an instant: the store judges
     * it by the database's clock, as it journals every action, so replicas whose clocks disagree still agree on it.
     */
    Opened open(Action action, Duration lockTtl, Lease fence, Duration decidedAgo);

    /** What {@link #beforeCall} found. */
    enum Held {
        HELD,
        /** The action's lock expired or was taken: another switchover may be running. */
        LOCK_LOST,
        /** The fence lease is not the live term any more. */
        FENCED,
        /** An automatic action's target was paused since its decision. */
        PAUSED
    }

    /**
     * The fence right before a cloud call, in one transaction: a conditional update that pushes the lock's expiry
     * only while {@code owner} still holds it unexpired (taken by this process), the lease check (fence nullable;
     * an automatic action has one, and is also refused while its target is paused), and the steps appended.
     * Anything but HELD writes nothing.
     */
    Held beforeCall(String target, String owner, Duration lockTtl, Lease fence, String actionId, List<Action.Step> steps);

    /**
     * A transition, in one transaction: replaces status, verification, detail, finishedAt, cloud and error only
     * while the entry is still at {@code from} and unfinished (compare and set), appends the steps and writes the
     * event (nullable). A terminal transition (finishedAt set) also gives back the target's lock this action holds:
     * the outcome releases it, in the same transaction. Returns false, writing nothing, when the entry had moved on
     * (another writer finished it).
     */
    boolean record(Action next, ActionStatus fromStatus, Verification fromVerification, List<Action.Step> steps,
            OutboxEvent event);

    /** Entries without finishedAt, oldest first, with their steps: what a crash, shutdown or timeout left open. */
    List<Action> unfinished();

    /**
     * A live switchover lock: the owner is the action that holds the target, the holder the process that took it
     * (its instance id; null for a lock taken before the store named it).
     */
    record Lock(String target, String owner, String holder, Instant acquiredAt, Instant expiresAt) {}

    /** Live locks (database clock), by target. */
    List<Lock> locks();
}
