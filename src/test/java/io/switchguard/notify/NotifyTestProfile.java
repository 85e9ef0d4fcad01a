package io.switchguard.notify;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.switchguard.config.Targets;
import java.io.IOException;
import java.net.ServerSocket;
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
            chosen = Integer.toString(belowTheEphemeralRange());
            System.setProperty(PORT_PROPERTY, chosen);
        }
        return Integer.parseInt(chosen);
    }

    /**
     * A port free now and outside the kernel's ephemeral range (32768-60999 here): the receiver binds it only after
     * the application has started, and meanwhile any outgoing connection may be given a port picked by
     * {@code new ServerSocket(0)} from that range as its local end (it happened in a CI run: "cannot listen").
     */
    private static int belowTheEphemeralRange() {
        java.util.Random random = new java.util.Random();
        for (int tries = 0; tries < 200; tries++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IllegalStateException("no free port below the ephemeral range");
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
