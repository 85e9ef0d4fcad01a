package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void listeningPortIsUp() throws Exception {
        try (FakeServer server = FakeServer.start(FakeServer.silent())) {
            TcpProbe probe = new TcpProbe(TestNet.NET, server.address(), TIMEOUT);
            ProbeResult r = probe.probe();

            assertTrue(r.up(), r.detail());
            assertEquals("connected", r.detail());
            assertEquals("tcp " + server.address(), probe.describe());
        }
    }

    /**
     * The probe ends its connection with a reset, as HAProxy's health checks do: closed with a FIN, each probe left
     * a socket in TIME_WAIT on the checker's host for 60 s. At 10,000 targets a second that is the kernel's whole
     * table (131,072), and connect() slowed until the event loops missed 80 % of the intervals (bench/scale.sh).
     */
    @Test
    void theProbeResetsItsConnectionSoNoTimeWaitStaysBehind() throws Exception {
        java.util.concurrent.CompletableFuture<String> end = new java.util.concurrent.CompletableFuture<>();
        try (FakeServer server = FakeServer.start(socket -> {
            try {
                end.complete(socket.getInputStream().read() == -1 ? "FIN" : "data");
            } catch (java.net.SocketException e) {
                end.complete(e.getMessage());
            }
        })) {
            assertTrue(new TcpProbe(TestNet.NET, server.address(), TIMEOUT).probe().up());

            assertEquals("Connection reset", end.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void closedPortIsDownRefused() throws Exception {
        ProbeResult r = new TcpProbe(TestNet.NET, new HostPort("127.0.0.1", LocalRedis.freePort()), TIMEOUT).probe();

        assertFalse(r.up());
        assertEquals("connection refused", r.detail());
    }

    @Test
    void unresolvableHostIsDownWithinTheTimeout() {
        long start = System.nanoTime();
        ProbeResult r = new TcpProbe(TestNet.NET, new HostPort("no-such-host.invalid", 80), TIMEOUT).probe();

        assertFalse(r.up());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(TIMEOUT.plusMillis(500)) < 0, r.toString());
    }
}
