package io.switchguard.store;

import java.time.Instant;

/**
 * One outbox row: an event on its way to one sink. {@code seq} orders the events of a subject per sink;
 * {@code attempts} counts finished attempts; {@code nextAttemptAt} and {@code createdAt} are database-clock times.
 */
public record OutboxEntry(long seq, String eventId, String sink, String source, String type, String subject,
        Instant time, String data, Instant createdAt, State state, int attempts, Instant nextAttemptAt,
        String lastError, Instant finishedAt) {

    public enum State {
        /** Not yet delivered: due at nextAttemptAt, or claimed by a sender right now. */
        PENDING,
        DELIVERED,
        /** Given up after max-age; kept for /status and the dead-letter metric until purged. */
        DEAD
    }

    /** The event as it was enqueued, whatever became of it. */
    public OutboxEvent event() {
        return new OutboxEvent(eventId, type, subject, time, data);
    }
}
