package io.switchguard.notify;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.switchguard.store.OutboxEntry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

/**
 * An outbox row as a CloudEvents 1.0 event in structured JSON mode. Everything in it comes from the row, so every
 * redelivery, from any replica, sends the same bytes.
 */
public final class CloudEventJson {

    /** Structured mode's media type (CloudEvents JSON format §4). */
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String DATA_CONTENT_TYPE = "application/json";

    // Built directly rather than through EventFormatProvider's ServiceLoader: no classpath scanning surprises.
    private static final JsonFormat FORMAT = new JsonFormat();

    private CloudEventJson() {}

    public static CloudEvent event(OutboxEntry e) {
        return CloudEventBuilder.v1()
                .withId(e.eventId())
                .withSource(URI.create(e.source()))
                .withType(e.type())
                .withSubject(e.subject())
                .withTime(e.time().atOffset(ZoneOffset.UTC))
                // JSON data is embedded as JSON ("data": {...}), not base64, by the JSON format.
                .withData(DATA_CONTENT_TYPE, e.data().getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** The exact bytes POSTed (and signed). */
    public static byte[] serialize(OutboxEntry e) {
        return FORMAT.serialize(event(e));
    }

    public static CloudEvent parse(byte[] json) {
        return FORMAT.deserialize(json);
    }
}
