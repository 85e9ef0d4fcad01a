package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sandbox left running keeps a bounded window of what it was sent, not all of it. */
class SandboxCallLogTest extends SandboxTestBase {

    @Test
    void theCallLogKeepsTheNewestCallsAndCountsThemAll() {
        int sent = CloudSimulator.CALLS_KEPT + 5;
        for (int i = 0; i < sent; i++) {
            unsigned("GET", "/v2/" + PROJECT + "/instances/call-" + i, null, Map.of());
        }

        List<CloudSimulator.Call> kept = sim.calls();
        assertEquals(CloudSimulator.CALLS_KEPT, kept.size());
        assertEquals("/v2/" + PROJECT + "/instances/call-5", kept.get(0).path(), "the oldest five went first");
        assertEquals("/v2/" + PROJECT + "/instances/call-" + (sent - 1), kept.get(kept.size() - 1).path());
        assertEquals(sent, sim.state().getLong("calls"), "the state still counts every call");
    }

    @Test
    void publishedMessagesAreKeptUpToTheirOwnLimit() {
        String topic = "urn:smn:eu-de:" + PROJECT + ":switchguard";
        int sent = CloudSimulator.SMN_KEPT + 3;
        for (int i = 0; i < sent; i++) {
            assertEquals(200, signed("POST", "/v2/" + PROJECT + "/notifications/topics/" + topic + "/publish",
                    "{\"message\":\"m-" + i + "\"}").statusCode());
        }

        List<CloudSimulator.SmnMessage> kept = sim.smnMessages();
        assertEquals(CloudSimulator.SMN_KEPT, kept.size());
        assertEquals("m-3", kept.get(0).message());
        assertEquals("m-" + (sent - 1), kept.get(kept.size() - 1).message());
        assertEquals(CloudSimulator.SMN_KEPT, sim.state().getJsonArray("smn").size());
    }
}
