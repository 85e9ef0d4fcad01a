package io.switchguard.store;

import java.time.Instant;

/**
 * A notification to deliver, written in the same transaction as the journal change it describes
 * (CONTRACT §6). id is the CloudEvent id, stable across redeliveries; data is the event's JSON payload.
 */
public record OutboxEvent(String id, String type, String subject, Instant time, String data) {}
