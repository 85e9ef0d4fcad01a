package io.switchguard.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.switchguard.store.OutboxEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CloudEventJsonTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    static OutboxEntry entry(String id, String subject, String data) {
        return new OutboxEntry(1, id, "webhook", "/switchguard/host-1", "io.switchguard.action.succeeded", subject, T0,
                data, T0, OutboxEntry.State.PENDING, 0, T0, null, null);
    }

    @Test
    void structuredModeCarriesEveryAttributeAndDataAsJson() throws Exception {
        byte[] body = CloudEventJson.serialize(entry("e-1", "orders-cache", "{\"status\":\"SUCCEEDED\",\"n\":1}"));
        JsonNode json = new ObjectMapper().readTree(body);

        assertEquals("1.0", json.path("specversion").asText());
        assertEquals("e-1", json.path("id").asText());
        assertEquals("/switchguard/host-1", json.path("source").asText());
        assertEquals("io.switchguard.action.succeeded", json.path("type").asText());
        assertEquals("orders-cache", json.path("subject").asText());
        assertEquals("application/json", json.path("datacontenttype").asText());
        assertEquals(T0, Instant.parse(json.path("time").asText()));
        assertTrue(json.path("data").isObject(), "data is embedded JSON, not a string or base64: " + json);
        assertEquals("SUCCEEDED", json.path("data").path("status").asText());
        assertFalse(json.has("data_base64"));
    }

    @Test
    void theSameRowSerializesToTheSameBytes() {
        OutboxEntry e = entry("e-1", "orders-cache", "{\"a\":1}");
        assertEquals(new String(CloudEventJson.serialize(e), StandardCharsets.UTF_8),
                new String(CloudEventJson.serialize(e), StandardCharsets.UTF_8));
    }

    @Test
    void parsesBackWithTheSdk() {
        CloudEvent ce = CloudEventJson.parse(CloudEventJson.serialize(entry("e-2", "erp-db", "{\"a\":1}")));
        assertEquals("e-2", ce.getId());
        assertEquals("erp-db", ce.getSubject());
        assertEquals("{\"a\":1}", new String(ce.getData().toBytes(), StandardCharsets.UTF_8).replace(" ", ""));
    }
}
