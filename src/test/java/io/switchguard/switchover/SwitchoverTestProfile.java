package io.switchguard.switchover;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The application with one webhook sink that nobody answers: every event stays in the outbox, where a test reads
 * exactly which events an action produced. Its own in-memory store, so no other test's journal shows up here.
 */
public class SwitchoverTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                // Port 9 (discard) is closed on test machines: deliveries fail and the rows stay PENDING.
                "switchguard.notify.webhook", "http://127.0.0.1:9/hook",
                "switchguard.notify.webhook-secret", "switchover-test-secret-3f9a",
                "switchguard.store.url", "jdbc:h2:mem:switchover;DB_CLOSE_DELAY=-1");
    }
}
