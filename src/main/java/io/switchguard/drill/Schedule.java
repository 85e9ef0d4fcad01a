package io.switchguard.drill;

import java.time.Instant;

/**
 * A planned switchover to run once at {@code at}. Nullable: createdBy (rows from before it was kept), claimedBy,
 * claimedAt, actionId, outcome, finishedAt, cancelledBy. requestId is the switchover's idempotency key, so a run
 * repeated after a crash journals one action. createdBy and cancelledBy are the callers' key labels; the switchover
 * is journaled on its creator's behalf.
 */
public record Schedule(
        String id,
        String target,
        Instant at,
        String reason,
        String requestId,
        State state,
        Instant createdAt,
        String createdBy,
        String claimedBy,
        Instant claimedAt,
        String actionId,
        String outcome,
        Instant finishedAt,
        String cancelledBy) {

    public enum State {
        /** Waiting for its time. */
        PENDING,
        /** Claimed by the leader that runs it. */
        RUNNING,
        /** Ran: actionId and outcome say what came of it. */
        DONE,
        CANCELLED,
        /** Its time passed by more than the grace while no leader could run it. */
        MISSED
    }
}
