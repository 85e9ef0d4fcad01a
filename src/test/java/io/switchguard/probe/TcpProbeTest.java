package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.TestPorts;
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
        ProbeResult r = new TcpProbe(TestNet.NET, new HostPort("127.0.0.1", TestPorts.free()), TIMEOUT).probe();

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

    /**
     * A target whose listener drops SYNs (its accept queue full, a firewall's DROP) never answers a connect. The probe
     * reports it down at its timeout and gives the connect up then: left to the client's 60 s backstop, every probe
     * of the last minute kept a half-open socket, 60 a dead target at 1 s, 600,000 for a fleet of 10,000.
     */
    @Test
    void aConnectTheTargetNeverAnswersIsGivenUpAtTheTimeout() throws Exception {
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = full.getLocalPort();
            java.util.List<java.net.Socket> queued = new java.util.ArrayList<>();
            try {
                // Nobody accepts: the queue holds backlog + 1 connections, then the kernel drops SYNs.
                for (int i = 0; i < 2; i++) {
                    queued.add(new java.net.Socket("127.0.0.1", port));
                }
                Duration timeout = Duration.ofMillis(300);
                ProbeResult r = new TcpProbe(TestNet.NET, new HostPort("127.0.0.1", port), timeout).probe();

                assertFalse(r.up());
                assertEquals(Timing.timedOut(timeout), r.detail());
                long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (synSent(port) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, synSent(port), "half-open connects to the silent target");
            } finally {
                for (java.net.Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    /**
     * Sockets in SYN_SENT towards the port (state 02, the remote address in hex), in /proc/net/tcp and tcp6: Java's
     * sockets are IPv6 ones wherever the host has IPv6, 127.0.0.1 included.
     */
    private static long synSent(int port) throws java.io.IOException {
        String remote = String.format(":%04X", port);
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            lines.addAll(java.nio.file.Files.readAllLines(java.nio.file.Path.of(table)).stream().skip(1).toList());
        }
        return lines.stream()
                .map(String::trim).map(l -> l.split("\\s+"))
                .filter(f -> f[2].endsWith(remote) && f[3].equals("02")).count();
    }
}
