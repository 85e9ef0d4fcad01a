package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sandbox left running keeps a bounded window of what it was sent, not all of it. */
class SandboxCallLogTest extends SandboxTestBase {

    @Test
    void theCallLogKeepsTheNewestCallsAndCountsThemAll() {
        int sent = CloudSimulator.CALLS_KEPT + 5;
        String prefix = "/v2/" + PROJECT + "/instances/call-";
        for (int i = 0; i < sent; i++) {
            unsigned("GET", prefix + i, null, Map.of());
        }

        // The window holds the newest calls of any sender. Once in CI one call more than this test sent arrived
        // (a client's retry, or a stray caller of an earlier test on a reused port), so the window is checked
        // against what the simulator counted, and the calls that are not this test's are named if it is off.
        List<CloudSimulator.Call> kept = sim.calls();
        long seen = sim.state().getLong("calls");
        List<String> others = kept.stream().map(CloudSimulator.Call::path).filter(p -> !p.startsWith(prefix)).toList();
        assertEquals(CloudSimulator.CALLS_KEPT, kept.size());
        assertTrue(seen >= sent && seen - sent < 5, "the state counts every call: " + seen + " of " + sent
                + " sent; others kept: " + others);
        List<Integer> ours = kept.stream().map(CloudSimulator.Call::path).filter(p -> p.startsWith(prefix))
                .map(p -> Integer.parseInt(p.substring(prefix.length()))).toList();
        assertEquals(sent - 1, ours.get(ours.size() - 1), "the newest call is kept");
        for (int i = 1; i < ours.size(); i++) {
            // A retried call may be there twice, none may be missing.
            assertTrue(ours.get(i) - ours.get(i - 1) <= 1 && ours.get(i) >= ours.get(i - 1),
                    "the calls kept are the newest ones, in order: " + ours.get(i - 1) + " then " + ours.get(i));
        }
        assertTrue(ours.get(0) >= 5, "the oldest five went first, the first kept is call-" + ours.get(0)
                + "; others kept: " + others);
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
