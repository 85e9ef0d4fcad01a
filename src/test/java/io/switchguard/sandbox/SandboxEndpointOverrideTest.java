package io.switchguard.sandbox;

import static io.switchguard.sandbox.SandboxApi.SWAP;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * provider: sandbox with a production config's endpoint overrides left in (the usual way to rehearse one): every
 * cloud call still goes to the simulator, as the banner promises. The overrides point at a server that stands for
 * the real cloud and counts what it receives.
 */
@QuarkusTest
@WithTestResource(SandboxEndpointOverrideTest.RealCloud.class)
class SandboxEndpointOverrideTest extends SandboxCloudTest {

    @Test
    void aSandboxSwapNeverReachesAConfiguredEndpoint() {
        Response swap = post("swap", "{\"target\":\"demo-cache\"}");
        assertEquals(List.of(), RealCloud.RECEIVED, "requests that reached the configured endpoint");
        assertEquals(1, calls("POST", SWAP), "the simulator got the swap");
        swap.then().statusCode(200).body("status", equalTo("SUCCEEDED"));
    }

    /** Answers nothing useful; remembers each request as "METHOD path". */
    public static class RealCloud implements QuarkusTestResourceLifecycleManager {

        static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", x -> {
                RECEIVED.add(x.getRequestMethod() + " " + x.getRequestURI().getPath());
                x.sendResponseHeaders(500, -1);
                x.close();
            });
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            return Stream.of("dcs", "drs", "dws", "smn", "iam")
                    .collect(Collectors.toMap(s -> "switchguard.cloud.endpoints." + s, s -> url));
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
