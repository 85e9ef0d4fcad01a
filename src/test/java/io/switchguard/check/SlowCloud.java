package io.switchguard.check;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchguard.TestPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DCS endpoint whose instance status answers RUNNING after 800 ms (inside the read timeout, past the observer's
 * wait for it), for many targets whose data plane is a closed port. Swap calls are counted and answered 204.
 */
public class SlowCloud implements QuarkusTestResourceLifecycleManager {

    static final int TARGETS = 20;
    static final AtomicInteger SWAPS = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
        int closed = TestPorts.free();
        Map<String, String> m = new HashMap<>();
        m.put("switchguard.store.url", "jdbc:h2:mem:slow-cloud;DB_CLOSE_DELAY=-1");
        // The real-cloud path with this server as its DCS: the sandbox ignores endpoint overrides.
        m.put("switchguard.cloud.provider", "huaweicloud");
        m.put("switchguard.cloud.endpoints.dcs", "http://127.0.0.1:" + server.getAddress().getPort());
        // Cloud reads have threads of their own: the observer gives up on the 800 ms answer before it comes.
        m.put("switchguard.cloud.signals.wait", "200ms");
        for (int i = 0; i < TARGETS; i++) {
            String k = "switchguard.targets.sat-" + i + ".";
            m.put(k + "kind", "dcs");
            m.put(k + "region", "sandbox-1");
            m.put(k + "project-id", "0000000000000000000000000000slow");
            m.put(k + "instance-id", "inst-sat-" + i);
            m.put(k + "auto", "true");
            m.put(k + "cooldown", "1m");
            m.put(k + "probe.tcp", "127.0.0.1:" + closed);
            m.put(k + "probe.interval", "1s");
            m.put(k + "probe.timeout", "500ms");
            m.put(k + "probe.failure-threshold", "2");
        }
        return m;
    }

    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if ("POST".equals(x.getRequestMethod()) && path.endsWith("/swap")) {
            SWAPS.incrementAndGet();
            x.sendResponseHeaders(204, -1);
        } else if ("GET".equals(x.getRequestMethod()) && path.matches(".*/instances/[^/]+")) {
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"status\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
        } else {
            byte[] body = "{\"error_code\":\"APIGW.0101\",\"error_msg\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(404, body.length);
            x.getResponseBody().write(body);
        }
        x.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
