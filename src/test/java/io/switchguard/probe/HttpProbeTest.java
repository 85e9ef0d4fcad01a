package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.switchguard.TestPorts;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpProbeTest {

    static final Duration TIMEOUT = Duration.ofMillis(1000);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    static HttpServer server;
    static ExecutorService workers;

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/broken", x -> {
            x.sendResponseHeaders(500, -1);
            x.close();
        });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/ok");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/hang", x -> {
            await();
            x.close();
        });
        server.createContext("/slow-body", x -> {
            // Headers at once, then a body that never finishes in time.
            x.sendResponseHeaders(200, 0);
            try (OutputStream body = x.getResponseBody()) {
                for (int i = 0; i < 100 && RELEASE.getCount() > 0; i++) {
                    body.write('x');
                    body.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-probe-test");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        RELEASE.countDown();
        server.stop(0);
        workers.shutdownNow();
    }

    static void await() {
        try {
            RELEASE.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static ProbeResult bounded(HttpProbe probe) {
        long start = System.nanoTime();
        ProbeResult r = probe.probe();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(elapsed.compareTo(TIMEOUT.plusMillis(500)) < 0, "took " + elapsed.toMillis() + " ms: " + r);
        return r;
    }

    @Test
    void status200IsUp() {
        ProbeResult r = bounded(new HttpProbe(TestNet.NET, url("/ok"), TIMEOUT));

        assertTrue(r.up(), r.detail());
        assertEquals("status 200", r.detail());
    }

    @Test
    void status500IsDown() {
        ProbeResult r = bounded(new HttpProbe(TestNet.NET, url("/broken"), TIMEOUT));

        assertFalse(r.up());
        assertEquals("status 500", r.detail());
    }

    @Test
    void redirectIsNotFollowedAndIsDown() {
        ProbeResult r = bounded(new HttpProbe(TestNet.NET, url("/moved"), TIMEOUT));

        assertFalse(r.up());
        assertEquals("status 302", r.detail());
    }

    @Test
    void serverThatNeverAnswersIsDownWithinTheTimeout() {
        ProbeResult r = bounded(new HttpProbe(TestNet.NET, url("/hang"), TIMEOUT));

        assertFalse(r.up());
        assertEquals("timed out after 1000 ms", r.detail());
    }

    @Test
    void bodyThatNeverEndsIsDownWithinTheTimeout() {
        ProbeResult r = bounded(new HttpProbe(TestNet.NET, url("/slow-body"), TIMEOUT));

        assertFalse(r.up());
        assertEquals("timed out after 1000 ms", r.detail());
    }

    @Test
    void closedPortIsDownRefused() throws Exception {
        ProbeResult r = bounded(new HttpProbe(TestNet.NET, URI.create("http://127.0.0.1:" + TestPorts.free() + "/"), TIMEOUT));

        assertFalse(r.up());
        assertEquals("connection refused", r.detail());
    }

    @Test
    void credentialsInTheUrlAreNotShown() {
        HttpProbe probe = new HttpProbe(TestNet.NET, URI.create("http://user:Url-9c1-secret@127.0.0.1:1/health"), TIMEOUT);

        assertEquals("http http://127.0.0.1:1/health", probe.describe());
        assertFalse(probe.toString().contains("Url-9c1-secret"));
    }
}
