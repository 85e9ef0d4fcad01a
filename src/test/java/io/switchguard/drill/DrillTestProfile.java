package io.switchguard.drill;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The application with a webhook sink nobody answers (every event stays in the outbox, where a test reads which
 * events a schedule or drill produced), its own in-memory store, a short schedule grace and fast drill probes.
 */
public class DrillTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "switchguard.notify.webhook", "http://127.0.0.1:9/hook",
                "switchguard.notify.webhook-secret", "drill-test-secret-8c2e",
                "switchguard.store.url", "jdbc:h2:mem:drills;DB_CLOSE_DELAY=-1",
                "switchguard.drills.schedule-grace", "2m",
                "switchguard.drills.stale-claim", "1m",
                "switchguard.drills.probe-interval", "200ms");
    }
}
