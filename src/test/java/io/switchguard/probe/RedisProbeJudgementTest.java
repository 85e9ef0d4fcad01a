package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.probe.RedisProbe.Role;
import io.switchguard.probe.RespClient.Tls;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How INFO replication answers a real server would rarely give on cue (lagging, syncing, cut off) are judged. */
class RedisProbeJudgementTest {

    static ProbeResult probe(String info, Role expected) throws Exception {
        try (FakeServer server = FakeServer.start(FakeServer.info(info))) {
            return new RedisProbe(TestNet.NET, server.address(), null, null, Tls.OFF, Duration.ofSeconds(2), expected).probe();
        }
    }

    @Test
    void masterLagIsItsOffsetMinusTheSlowestOnlineReplica() throws Exception {
        ProbeResult r = probe("""
                # Replication\r
                role:master\r
                connected_slaves:3\r
                slave0:ip=10.0.0.6,port=6379,state=online,offset=1000,lag=0\r
                slave1:ip=10.0.0.7,port=6379,state=online,offset=930,lag=1\r
                slave2:ip=10.0.0.8,port=6379,state=wait_bgsave,offset=0,lag=0\r
                master_failover_state:no-failover\r
                master_repl_offset:1000\r
                """, Role.MASTER);

        assertTrue(r.up());
        assertEquals(70L, r.lagBytes());
        assertEquals("master, 2 replicas online (1 not online), lag 70 bytes", r.detail());
    }

    @Test
    void masterWhoseOnlyReplicaIsStillSyncingIsUpWithoutLag() throws Exception {
        ProbeResult r = probe("""
                role:master\r
                connected_slaves:1\r
                slave0:ip=10.0.0.6,port=6379,state=send_bulk,offset=0,lag=0\r
                master_repl_offset:5000\r
                """, Role.MASTER);

        assertTrue(r.up());
        assertNull(r.lagBytes());
        assertEquals("master, no replica online (1 connected, send_bulk)", r.detail());
    }

    @Test
    void replicaWithLinkDownIsDownAndSaysForHowLong() throws Exception {
        ProbeResult r = probe("""
                # Replication\r
                role:slave\r
                master_host:10.0.0.5\r
                master_port:6379\r
                master_link_status:down\r
                master_last_io_seconds_ago:-1\r
                master_sync_in_progress:0\r
                slave_repl_offset:5000\r
                master_link_down_since_seconds:12\r
                connected_slaves:0\r
                master_repl_offset:5000\r
                """, Role.REPLICA);

        assertFalse(r.up());
        assertEquals(Boolean.FALSE, r.masterLinkUp());
        assertEquals(Duration.ofSeconds(12), r.lag());
        assertNull(r.lagBytes());
        assertEquals("replica, link to master 10.0.0.5:6379 down for 12s, offset 5000", r.detail());
    }

    @Test
    void replicaInFullSyncIsDownSayingSo() throws Exception {
        ProbeResult r = probe("""
                role:slave\r
                master_host:fd00::5\r
                master_port:6379\r
                master_link_status:down\r
                master_sync_in_progress:1\r
                slave_repl_offset:0\r
                master_link_down_since_seconds:-1\r
                """, Role.REPLICA);

        assertFalse(r.up());
        assertNull(r.lag(), "never connected: no duration to report");
        assertEquals("replica, link to master [fd00::5]:6379 down, full sync in progress, offset 0", r.detail());
    }

    @Test
    void unknownRoleIsDownForBothExpectations() throws Exception {
        String sentinel = "role:sentinel\r\n";

        assertEquals("role is sentinel, expected master", probe(sentinel, Role.MASTER).detail());
        assertEquals("role is sentinel, expected replica", probe(sentinel, Role.REPLICA).detail());
        assertFalse(probe(sentinel, Role.MASTER).up());
    }
}
