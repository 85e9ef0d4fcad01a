package io.switchguard.probe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.probe.RedisProbe.Role;
import io.switchguard.probe.RespClient.Reply;
import io.switchguard.probe.RespClient.Tls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis probe against real redis-server 6.2 processes: a master with a replica, and a server with passwords. */
class RedisProbeTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final String PASSWORD = "Pw-4f1c9a-not-for-logs";
    static final String ACL_PASSWORD = "Acl-7d2e0b-not-for-logs";

    static LocalRedis master;
    static LocalRedis replica;
    static LocalRedis secured;

    @BeforeAll
    static void startRedis() throws Exception {
        master = LocalRedis.master();
        replica = LocalRedis.replicaOf(master);
        secured = LocalRedis.master("--requirepass", PASSWORD);
        try (BlockingResp admin = BlockingResp.connect(secured.address(), TIMEOUT)) {
            assertInstanceOf(Reply.Simple.class, admin.auth(null, PASSWORD));
            assertEquals(new Reply.Simple("OK"),
                    admin.call("ACL", "SETUSER", "watcher", "on", ">" + ACL_PASSWORD, "-@all", "+info", "+ping"));
            assertEquals(new Reply.Simple("OK"),
                    admin.call("ACL", "SETUSER", "pinger", "on", ">" + ACL_PASSWORD, "-@all", "+ping"));
        }
        // The master lists its replica as online once the (diskless, undelayed) first sync is done.
        await().atMost(Duration.ofSeconds(10)).until(() -> probe(master, Role.MASTER).probe().detail().contains("1 replica online"));
    }

    @AfterAll
    static void stopRedis() {
        LocalRedis.stopAll();
    }

    static RedisProbe probe(LocalRedis redis, Role role) {
        return new RedisProbe(TestNet.NET, redis.address(), null, null, Tls.OFF, TIMEOUT, role);
    }

    static RedisProbe secured(String user, String password) {
        return new RedisProbe(TestNet.NET, secured.address(), user, password, Tls.OFF, TIMEOUT, Role.MASTER);
    }

    @Test
    void masterWithConnectedReplicaIsUpWithRoleMasterAndLag() {
        ProbeResult r = probe(master, Role.MASTER).probe();

        assertTrue(r.up(), r.detail());
        assertEquals("master", r.role());
        assertEquals("master, 1 replica online, lag " + r.lagBytes() + " bytes", r.detail());
        assertNotNull(r.lagBytes());
        assertTrue(r.lagBytes() >= 0, r.detail());
        assertNull(r.masterLinkUp());
        assertTrue(r.latency().compareTo(Duration.ZERO) > 0 && r.latency().compareTo(TIMEOUT) < 0, r.latency().toString());
    }

    @Test
    void replicaProbedAsReplicaIsUpWithMasterLinkUp() {
        ProbeResult r = probe(replica, Role.REPLICA).probe();

        assertTrue(r.up(), r.detail());
        assertEquals("replica", r.role());
        assertEquals(Boolean.TRUE, r.masterLinkUp());
        assertTrue(r.detail().startsWith("replica, link to master 127.0.0.1:" + master.port() + " up, offset "), r.detail());
        assertNull(r.lagBytes(), "a replica does not know its master's offset");
    }

    @Test
    void replicaProbedAsMasterIsDownSayingItIsAReplica() {
        ProbeResult r = probe(replica, Role.MASTER).probe();

        assertFalse(r.up());
        assertEquals("role is replica of 127.0.0.1:" + master.port() + ", expected master", r.detail());
        assertEquals("replica", r.role());
        assertEquals(Boolean.TRUE, r.masterLinkUp());
    }

    @Test
    void masterProbedAsReplicaIsDownSayingItIsAMaster() {
        ProbeResult r = probe(master, Role.REPLICA).probe();

        assertFalse(r.up());
        assertEquals("role is master, expected replica", r.detail());
        assertEquals("master", r.role());
    }

    @Test
    void masterWithoutReplicaIsUpSayingNoReplicaConnected() {
        ProbeResult r = secured(null, PASSWORD).probe();

        assertTrue(r.up(), r.detail());
        assertEquals("master, no replica connected", r.detail());
        assertNull(r.lagBytes());
    }

    @Test
    void stoppedMasterIsDownRefusedAndItsReplicaSeesTheLinkDown() {
        LocalRedis doomed = LocalRedis.master();
        LocalRedis orphan = LocalRedis.replicaOf(doomed);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> probe(orphan, Role.REPLICA).probe().up());
            assertTrue(probe(doomed, Role.MASTER).probe().up());

            doomed.stop();

            ProbeResult m = probe(doomed, Role.MASTER).probe();
            assertFalse(m.up());
            assertEquals("connection refused (connecting)", m.detail());
            assertNull(m.role());
            await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.FALSE.equals(probe(orphan, Role.REPLICA).probe().masterLinkUp()));
            ProbeResult r = probe(orphan, Role.REPLICA).probe();
            assertFalse(r.up(), r.detail());
            assertEquals("replica", r.role());
            assertEquals(Boolean.FALSE, r.masterLinkUp());
            assertTrue(r.detail().startsWith("replica, link to master 127.0.0.1:" + doomed.port() + " down"), r.detail());
        } finally {
            orphan.stop();
            doomed.stop();
        }
    }

    @Test
    void wrongPasswordIsDownWithAuthReasonAndNeverShowsThePassword() {
        String wrong = "Wrong-3b8e-password";
        RedisProbe probe = secured(null, wrong);
        ProbeResult r = probe.probe();

        assertFalse(r.up());
        assertTrue(r.detail().startsWith("auth failed: WRONGPASS"), r.detail());
        for (String text : new String[] {r.detail(), r.toString(), probe.toString(), probe.describe()}) {
            assertFalse(text.contains(wrong), text);
            assertFalse(text.contains(PASSWORD), text);
        }
    }

    @Test
    void rightPasswordIsUpAndNeverShowsThePassword() {
        RedisProbe probe = secured(null, PASSWORD);
        ProbeResult r = probe.probe();

        assertTrue(r.up(), r.detail());
        for (String text : new String[] {r.toString(), probe.toString(), probe.describe()}) {
            assertFalse(text.contains(PASSWORD), text);
        }
    }

    @Test
    void missingPasswordIsDownWithAuthRequired() {
        ProbeResult r = secured(null, null).probe();

        assertFalse(r.up());
        assertTrue(r.detail().startsWith("auth required: NOAUTH"), r.detail());
    }

    @Test
    void aclUserWithItsPasswordIsUp() {
        ProbeResult r = secured("watcher", ACL_PASSWORD).probe();

        assertTrue(r.up(), r.detail());
        assertEquals("master", r.role());
    }

    @Test
    void aclUserWithWrongPasswordIsDownWithAuthReason() {
        ProbeResult r = secured("watcher", PASSWORD).probe();

        assertFalse(r.up());
        assertTrue(r.detail().startsWith("auth failed: WRONGPASS"), r.detail());
        assertFalse(r.detail().contains(PASSWORD));
    }

    @Test
    void aclUserWithoutInfoPermissionIsDownNotPermitted() {
        ProbeResult r = secured("pinger", ACL_PASSWORD).probe();

        assertFalse(r.up());
        assertTrue(r.detail().startsWith("not permitted: NOPERM"), r.detail());
    }

    @Test
    void passwordSentToAServerWithoutOneStillProbesAndSaysSo() {
        ProbeResult r = new RedisProbe(TestNet.NET, master.address(), null, "unneeded", Tls.OFF, TIMEOUT, Role.MASTER).probe();

        assertTrue(r.up(), r.detail());
        assertTrue(r.detail().endsWith("; server has no password set"), r.detail());
    }

    @Test
    void clientParsesEveryReplyTypeFromRealRedis() throws Exception {
        try (BlockingResp client = BlockingResp.connect(master.address(), TIMEOUT)) {
            assertEquals(new Reply.Simple("PONG"), client.ping());
            assertEquals(new Reply.Simple("OK"), client.call("SET", "probe-test-counter", "41"));
            assertEquals(new Reply.Int(42), client.call("INCR", "probe-test-counter"));
            assertEquals(new Reply.Nil(), client.call("GET", "probe-test-no-such-key"));
            client.call("DEL", "probe-test-list");
            client.call("RPUSH", "probe-test-list", "a", "\u00e9t\u00e9");
            assertEquals(new Reply.Array(List.of(new Reply.Bulk("a"), new Reply.Bulk("\u00e9t\u00e9"))),
                    client.call("LRANGE", "probe-test-list", "0", "-1"));
            Reply info = client.info("replication");
            assertTrue(info instanceof Reply.Bulk b && b.value().contains("role:master"), info.toString());
            Reply.Error error = assertInstanceOf(Reply.Error.class, client.call("NO-SUCH-COMMAND"));
            assertEquals("ERR", error.code());
            assertEquals(new Reply.Simple("PONG"), client.ping(), "an error reply leaves the connection usable");
        }
    }
}
