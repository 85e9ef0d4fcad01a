package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationInfoTest {

    @Test
    void masterAnswerGivesOffsetsAndEveryReplicaLine() throws Exception {
        ReplicationInfo info = ReplicationInfo.parse("""
                # Replication
                role:master
                connected_slaves:2
                slave0:ip=10.0.0.6,port=6380,state=online,offset=1234,lag=0
                slave1:ip=fd00::7,port=6381,state=wait_bgsave,offset=0,lag=3
                master_failover_state:no-failover
                master_replid:8f6f3cbb5bd3b0e7e5e4bd1e0a4f0e9a2f5b1c3d
                master_repl_offset:1300
                second_repl_offset:-1
                """);

        assertTrue(info.master());
        assertEquals(2, info.connectedSlaves());
        assertEquals(1300L, info.masterReplOffset());
        assertEquals(List.of(new ReplicationInfo.Replica("10.0.0.6", 6380, "online", 1234, 0),
                new ReplicationInfo.Replica("fd00::7", 6381, "wait_bgsave", 0, 3)), info.replicas());
        assertEquals(1, info.onlineReplicas().size());
        assertNull(info.masterLinkStatus());
    }

    @Test
    void replicaAnswerGivesLinkAndOwnOffset() throws Exception {
        ReplicationInfo info = ReplicationInfo.parse("role:slave\r\nmaster_host:10.0.0.5\r\nmaster_port:6379\r\n"
                + "master_link_status:down\r\nmaster_sync_in_progress:0\r\nslave_repl_offset:77\r\n"
                + "master_link_down_since_seconds:9\r\n");

        assertTrue(info.replica());
        assertEquals("down", info.masterLinkStatus());
        assertEquals(9L, info.masterLinkDownSinceSeconds());
        assertEquals(77L, info.slaveReplOffset());
        assertEquals("10.0.0.5:6379", info.masterHost());
        assertFalse(info.syncInProgress());
    }

    @Test
    void malformedNumbersAreUnknownNotErrors() throws Exception {
        ReplicationInfo info = ReplicationInfo.parse("role:master\nmaster_repl_offset:lots\nslave0:ip=x,state=online,offset=?\n");

        assertNull(info.masterReplOffset());
        assertEquals(-1, info.replicas().get(0).offset());
    }

    @Test
    void answerWithoutRoleIsAProtocolError() {
        assertThrows(RespClient.ProtocolException.class, () -> ReplicationInfo.parse("-ERR nothing here\r\n"));
    }
}
