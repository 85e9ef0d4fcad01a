package io.switchguard.notify;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.switchguard.TestPorts;
import io.switchguard.config.Targets;
import java.util.Map;

/**
 * The application with both sinks: a webhook on a local port the test's receiver listens on, signed, and an SMN
 * topic in the sandbox. The port is picked once per JVM and handed over through a system property, which the
 * profile's class loader and the test's share.
 */
public class NotifyTestProfile implements QuarkusTestProfile {

    static final String PORT_PROPERTY = "notifytest.webhook-port";
    static final String SECRET = "notify-test-secret-5e2a";
    static final String TOPIC = "urn:smn:sandbox-1:" + Targets.DEMO_PROJECT + ":switchguard-events";

    static synchronized int port() {
        String chosen = System.getProperty(PORT_PROPERTY);
        if (chosen == null) {
            chosen = Integer.toString(TestPorts.free());
            System.setProperty(PORT_PROPERTY, chosen);
        }
        return Integer.parseInt(chosen);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "switchguard.notify.webhook", "http://127.0.0.1:" + port() + "/hook",
                "switchguard.notify.webhook-secret", SECRET,
                "switchguard.notify.smn.topic-urn", TOPIC,
                "switchguard.store.url", "jdbc:h2:mem:notify;DB_CLOSE_DELAY=-1");
    }
}
