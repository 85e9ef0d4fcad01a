package io.switchguard.notify;

import io.switchguard.store.OutboxEntry;

/** Where outbox events go: the webhook or SMN. A sink never throws for a failed delivery; it says what happened. */
public interface Sink {

    String WEBHOOK = "webhook";
    String SMN = "smn";

    /** The outbox's sink column for this sink's rows. */
    String name();

    /** One attempt, bounded by the sink's own timeouts. */
    Result deliver(OutboxEntry entry);

    /** delivered: the receiver took it (2xx); otherwise the attempt is retried. detail is for the log and the outbox. */
    record Result(boolean delivered, String detail) {
        public static Result delivered(String detail) {
            return new Result(true, detail);
        }

        public static Result failed(String detail) {
            return new Result(false, detail);
        }
    }
}
