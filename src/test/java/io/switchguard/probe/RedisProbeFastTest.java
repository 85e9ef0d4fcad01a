package io.switchguard.probe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.probe.RedisProbe.Role;
import io.switchguard.probe.RespClient.Reply;
import io.switchguard.probe.RespClient.Tls;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fast mode (issue #13 part 5) against a real redis-server: one kept connection, its loss told at once and
 * reported by the next probe without waiting, a reconnect after that.
 */
class RedisProbeFastTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static LocalRedis master;

    @BeforeAll
    static void startRedis() {
        master = LocalRedis.master();
    }

    @AfterAll
    static void stopRedis() {
        master.stop();
    }

    static long clients() throws Exception {
        try (BlockingResp admin = BlockingResp.connect(master.address(), TIMEOUT)) {
            String info = ((Reply.Bulk) admin.info("clients")).value();
            // The admin connection asking is one of them.
            return java.util.Arrays.stream(info.split("\r\n")).filter(l -> l.startsWith("connected_clients:"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow() - 1;
        }
    }

    @Test
    void probesRunOnOneKeptConnection() throws Exception {
        RedisProbe probe = new RedisProbe(TestNet.NET, master.address(), null, null, Tls.OFF, TIMEOUT, Role.MASTER, null, true);
        try {
            long before = clients();
            for (int i = 0; i < 5; i++) {
                assertTrue(probe.probe().up());
            }
            assertEquals(before + 1, clients(), "five probes, one connection");
            assertEquals("redis " + master.address() + " (master, persistent)", probe.describe());
        } finally {
            probe.close();
        }
    }

    @Test
    void aConnectionClosedBetweenProbesIsToldAtOnceAndIsTheNextProbesFailure() throws Exception {
        RedisProbe probe = new RedisProbe(TestNet.NET, master.address(), null, null, Tls.OFF, TIMEOUT, Role.MASTER, null, true);
        AtomicInteger told = new AtomicInteger();
        probe.onLost(told::incrementAndGet);
        try {
            assertTrue(probe.probe().up());
            try (BlockingResp admin = BlockingResp.connect(master.address(), TIMEOUT)) {
                // Every normal client but the one asking: the probe's kept connection.
                assertTrue(admin.call("CLIENT", "KILL", "TYPE", "normal") instanceof Reply.Int);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> told.get() == 1);

            ProbeResult lost = probe.probe();
            assertFalse(lost.up());
            assertEquals("connection lost: connection closed by the server", lost.detail());
            assertTrue(lost.latency().compareTo(Duration.ofMillis(100)) < 0, "reported at once, not at a timeout");

            ProbeResult again = probe.probe();
            assertTrue(again.up(), "the probe after the loss reconnects: " + again.detail());
            assertTrue(again.detail().endsWith(RedisProbe.RECONNECTED), again.detail());
            assertFalse(probe.probe().detail().endsWith(RedisProbe.RECONNECTED), "only the first answer says so");
            assertEquals(1, told.get());
        } finally {
            probe.close();
        }
    }

    @Test
    void aDeadServerAfterTheLossIsRefusedAtOnce() throws Exception {
        LocalRedis doomed = LocalRedis.master();
        RedisProbe probe = new RedisProbe(TestNet.NET, doomed.address(), null, null, Tls.OFF, TIMEOUT, Role.MASTER, null, true);
        AtomicInteger told = new AtomicInteger();
        probe.onLost(told::incrementAndGet);
        try {
            assertTrue(probe.probe().up());
            doomed.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> told.get() == 1);
            assertEquals("connection lost: connection closed by the server", probe.probe().detail());
            assertEquals("connection refused (connecting)", probe.probe().detail());
        } finally {
            probe.close();
        }
    }
}
