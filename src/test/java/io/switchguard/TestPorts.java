package io.switchguard;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.Random;

/**
 * Ports for servers a test starts later (a redis-server, a child JVM, a Quarkus test HTTP server, a webhook
 * receiver) and for ports that must stay closed.
 *
 * <p>{@code new ServerSocket(0)} hands out a port from the kernel's ephemeral range (32768-60999 here), the same range
 * every outgoing connection takes its local end from. Between the probe and the later bind, any connection the
 * suite opens may be given that port, and the server then cannot listen (it happened in CI: "cannot listen"; the
 * {@code StoreProducerTest} HTTP port clashed once too). A port below that range is never given out by the
 * kernel, and this class never gives the same one twice in a JVM (across the test profiles' class loaders too),
 * so two tests cannot pick one port either. (A fixed port such as 8081 may be held by another build on the machine,
 * and {@code quarkus.http.test-port=0} was seen to hang the server's start here.)
 */
public final class TestPorts {

    private static final int FROM = 20_000;
    private static final int SPAN = 12_000;
    /**
     * The ports given so far: a system property, as each Quarkus test profile loads this class anew (not under
     * {@code switchguard.}, whose every key the configuration mapping checks).
     */
    private static final String GIVEN = "testports.given";
    private static final Random RANDOM = new Random();

    private TestPorts() {
    }

    /** A port nobody listens on now, on the loopback address or any address, and not given before in this JVM. */
    public static int free() {
        Properties shared = System.getProperties();
        synchronized (shared) {
            for (int tries = 0; tries < 500; tries++) {
                int port = FROM + RANDOM.nextInt(SPAN);
                String given = shared.getProperty(GIVEN, ",");
                if (!given.contains("," + port + ",") && bindable(port)) {
                    shared.setProperty(GIVEN, given + port + ",");
                    return port;
                }
            }
        }
        throw new IllegalStateException("no free port in " + FROM + "-" + (FROM + SPAN - 1));
    }

    private static boolean bindable(int port) {
        // A wildcard bind fails while anyone listens on the port at any address, 127.0.0.1 included, and a server
        // started later may bind either (redis-server and Quarkus take 0.0.0.0, the receivers 127.0.0.1).
        try (ServerSocket s = new ServerSocket(port, 1)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
