package io.switchguard.sandbox;

import io.switchguard.check.Checker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Configured sandbox targets for the trust controls' tests: a data plane nothing listens on (so only the sandbox's
 * data-plane fault, through the cloud status, decides whether a breach is confirmed), probed every second,
 * breaching on one failure, with an hour's cooldown; and the counted cycle after the current one.
 */
public final class WatchedTargets {

    private WatchedTargets() {}

    /**
     * A profile's start: its own in-memory store, and a webhook nothing listens on, so events stay in the outbox
     * where the test reads them.
     */
    public static Map<String, String> profile(String database) {
        Map<String, String> m = new HashMap<>();
        m.put("switchguard.store.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
        m.put("switchguard.notify.webhook", "http://127.0.0.1:" + closedPort() + "/");
        return m;
    }

    /** One target of the kind, acting as auto says (true, false, approve). */
    public static void target(Map<String, String> m, String name, String kind, String idKey, String id,
            String project, String auto) {
        String key = "switchguard.targets." + name;
        m.put(key + ".kind", kind);
        m.put(key + ".region", "sandbox-1");
        m.put(key + ".project-id", project);
        m.put(key + "." + idKey, id);
        m.put(key + ".auto", auto);
        m.put(key + ".cooldown", "1h");
        m.put(key + ".probe.tcp", "127.0.0.1:" + closedPort());
        m.put(key + ".probe.interval", "1s");
        m.put(key + ".probe.timeout", "300ms");
        m.put(key + ".probe.failure-threshold", "1");
    }

    /** Held for the whole test run: bound, never listening. */
    private static final List<Socket> HELD = new ArrayList<>();

    /**
     * A local port nothing listens on, for the whole test run: a socket bound to it and never listening keeps it,
     * so no server started later (the sandbox, a Redis, another build's) can be given it, and a connect to it is
     * refused. (A port merely found free and closed again was seen taken by the next server: the probe answered.)
     */
    public static synchronized int closedPort() {
        try {
            Socket s = new Socket();
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            HELD.add(s);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /**
     * The next counted cycle, one interval (1 s) later. On this shared machine a pause can make the checker late
     * (over 2 x interval + timeout): that cycle only distrusts itself, and the one after it decides.
     */
    public static Checker.Report next(Supplier<Checker.Report> check) throws InterruptedException {
        Checker.Report r = null;
        for (int i = 0; i < 3; i++) {
            Thread.sleep(1000);
            r = check.get();
            if (!"self-distrust".equals(r.decision().guard())) {
                return r;
            }
        }
        return r;
    }
}
