package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxSmnTest extends SandboxTestBase {
    private static final String TOPIC = "urn:smn:eu-de:" + PROJECT + ":switchguard";

    private static String publish(String topic) {
        return "/v2/" + PROJECT + "/notifications/topics/" + topic + "/publish";
    }

    @Test
    void publishAnswersRequestAndMessageIdsAndKeepsTheMessage() {
        HttpResponse<String> r = signed("POST", publish(TOPIC),
                "{\"subject\":\"switchover\",\"message\":\"orders-cache swapped\"}");

        assertEquals(200, r.statusCode());
        JsonObject body = json(r);
        assertEquals(r.headers().firstValue("X-Request-Id").orElseThrow(), body.getString("request_id"));
        List<CloudSimulator.SmnMessage> messages = sim.smnMessages();
        assertEquals(1, messages.size());
        assertEquals(TOPIC, messages.get(0).topicUrn());
        assertEquals("switchover", messages.get(0).subject());
        assertEquals("orders-cache swapped", messages.get(0).message());
        assertEquals(body.getString("message_id"), messages.get(0).messageId());
    }

    @Test
    void percentEncodedTopicUrnIsDecoded() {
        HttpResponse<String> r = signed("POST", publish(TOPIC.replace(":", "%3A")), "{\"message\":\"hi\"}");

        assertEquals(200, r.statusCode());
        assertEquals(TOPIC, sim.smnMessages().get(0).topicUrn());
    }

    @Test
    void publishWithoutMessageIs400AndKeepsNothing() {
        HttpResponse<String> r = signed("POST", publish(TOPIC), "{\"subject\":\"only\"}");

        assertEquals(400, r.statusCode());
        assertTrue(json(r).getString("error_code").startsWith("SMN."));
        assertTrue(sim.smnMessages().isEmpty());
    }

    @Test
    void httpFaultOnTopicFailsThePublish() {
        sim.fault(TOPIC, SandboxFault.HTTP_503, 1);

        assertEquals(503, signed("POST", publish(TOPIC), "{\"message\":\"x\"}").statusCode());
        assertEquals(200, signed("POST", publish(TOPIC), "{\"message\":\"x\"}").statusCode());
        assertEquals(1, sim.smnMessages().size());
    }
}
