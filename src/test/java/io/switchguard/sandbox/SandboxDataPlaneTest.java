package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxDataPlaneTest extends SandboxTestBase {

    static final long MB = 1024 * 1024;

    // ------------------------------------------------------------------ healthy pair

    @Test
    void primaryAndStandbyEndpointsAnswerInfoReplicationLikeRedis() throws IOException {
        String masterNode = DcsSimulator.of(sim).nodeAddress(DCS_ID, DCS_ID + "-node-0");
        String standbyNode = DcsSimulator.of(sim).nodeAddress(DCS_ID, DCS_ID + "-node-1");
        assertEquals(masterNode, DcsSimulator.of(sim).masterAddress(DCS_ID));
        assertEquals(standbyNode, DcsSimulator.of(sim).standbyAddress(DCS_ID));

        Map<String, String> master = info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
        Map<String, String> standby = info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID));

        assertEquals("master", master.get("role"));
        assertEquals("1", master.get("connected_slaves"));
        Map<String, String> slave0 = RespClient.parseFields(master.get("slave0"));
        assertEquals("127.0.0.1", slave0.get("ip"));
        assertEquals(port(standbyNode), slave0.get("port"));
        assertEquals("online", slave0.get("state"));
        assertEquals(master.get("master_repl_offset"), slave0.get("offset"));
        assertEquals("slave", standby.get("role"));
        assertEquals("127.0.0.1", standby.get("master_host"));
        assertEquals(port(masterNode), standby.get("master_port"));
        assertEquals("up", standby.get("master_link_status"));
        assertEquals(master.get("master_repl_offset"), standby.get("slave_repl_offset"));
        assertEquals(master.get("master_replid"), standby.get("master_replid"));
    }

    @Test
    void offsetsAdvanceWithTheClock() throws IOException {
        long before = Long.parseLong(info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)).get("master_repl_offset"));

        clock.advance(Duration.ofSeconds(10));

        Map<String, String> master = info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
        assertTrue(Long.parseLong(master.get("master_repl_offset")) > before);
        assertEquals(master.get("master_repl_offset"), info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("slave_repl_offset"));
    }

    @Test
    void pingAuthInlineEchoRoleAndQuit() throws IOException {
        try (RespClient c = RespClient.connect(DcsSimulator.of(sim).primaryEndpoint(DCS_ID))) {
            assertEquals("OK", c.call("AUTH", "anything"));
            assertEquals("PONG", c.call("PING"));
            c.sendRaw("PING\r\n");
            assertEquals("PONG", c.read());
            assertEquals("hi", c.call("ECHO", "hi"));
            List<?> role = (List<?>) c.call("ROLE");
            assertEquals("master", role.get(0));
            assertEquals(1, ((List<?>) role.get(2)).size());
            assertInstanceOf(RespClient.Error.class, c.call("FLUSHALL"));
            assertEquals("OK", c.call("QUIT"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void configuredPasswordIsRequired() throws IOException {
        DcsSimulator.of(sim).setPassword("s3cret");
        try (RespClient c = RespClient.connect(DcsSimulator.of(sim).standbyEndpoint(DCS_ID))) {
            assertTrue(((RespClient.Error) c.call("PING")).message().startsWith("NOAUTH"));
            assertTrue(((RespClient.Error) c.call("AUTH", "wrong")).message().startsWith("WRONGPASS"));
            assertEquals("OK", c.call("AUTH", "default", "s3cret"));
            assertEquals("PONG", c.call("PING"));
        }
    }

    // ------------------------------------------------------------------ roles follow the API

    @Test
    void afterAnApiSwapThePrimaryEndpointAnswersAsTheFormerStandbyNode() throws IOException {
        String formerStandby = DcsSimulator.of(sim).standbyAddress(DCS_ID);
        String formerStandbyRunId = server(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("run_id");

        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());

        assertEquals(formerStandby, DcsSimulator.of(sim).masterAddress(DCS_ID));
        Map<String, String> server = server(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
        assertEquals(formerStandbyRunId, server.get("run_id"));
        assertEquals(port(formerStandby), server.get("tcp_port"));
        assertEquals("master", info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)).get("role"));
        assertEquals("master", info(formerStandby).get("role"));
        Map<String, String> standby = info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID));
        assertEquals("slave", standby.get("role"));
        assertEquals(port(formerStandby), standby.get("master_port"));
    }

    // ------------------------------------------------------------------ DOWN

    @Test
    void downClosesThePrimaryAndTheStandbyAndCloudSeeIt() throws IOException {
        String masterNode = DcsSimulator.of(sim).masterAddress(DCS_ID);
        RespClient open = RespClient.connect(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
        assertEquals("PONG", open.call("PING"));

        sim.dataPlaneFault(DCS_ID, DataPlaneFault.DOWN);

        assertThrows(IOException.class, () -> open.call("PING"), "an open connection is cut on its next command");
        open.close();
        assertFalse(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
        assertFalse(answers(masterNode));
        clock.advance(Duration.ofSeconds(7));
        Map<String, String> standby = info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID));
        assertEquals("down", standby.get("master_link_status"));
        assertEquals("7", standby.get("master_link_down_since_seconds"));
        assertEquals("-1", standby.get("master_last_io_seconds_ago"));

        JsonArray replicas = groups();
        assertEquals("Inactive", replica(replicas, "master").getString("status"));
        assertEquals("Active", replica(replicas, "slave").getString("status"));
        assertEquals("ERROR", detail().getString("status"));
    }

    @Test
    void swapUnderDownMovesTheMasterOffTheFailedNodeAndThePrimaryRecovers() throws IOException {
        String failedNode = DcsSimulator.of(sim).masterNode(DCS_ID);
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.DOWN);
        assertFalse(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));

        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());

        assertTrue(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
        Map<String, String> master = info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
        assertEquals("master", master.get("role"));
        assertEquals("0", master.get("connected_slaves"), "the failed node is gone from the replicas");
        assertFalse(answers(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)), "the fault followed the node, now standby");
        assertEquals("RUNNING", detail().getString("status"));
        JsonObject failed = replica(groups(), "slave");
        assertEquals(failedNode, failed.getString("node_id"));
        assertEquals("Inactive", failed.getString("status"));
        assertEquals("Active", replica(groups(), "master").getString("status"));

        sim.clearDataPlaneFault(DCS_ID);

        assertEquals("1", info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)).get("connected_slaves"));
        assertEquals("up", info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("master_link_status"));
    }

    // ------------------------------------------------------------------ SLOW

    @Test
    void slowDelaysTheMastersAnswersInOrder() throws IOException {
        assertEquals(Duration.ofSeconds(3), sim.dataPlaneSlowDelay());
        sim.setDataPlaneSlowDelay(Duration.ofMillis(600));
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.SLOW);

        try (RespClient c = RespClient.connect(DcsSimulator.of(sim).primaryEndpoint(DCS_ID))) {
            long t0 = System.nanoTime();
            c.send("PING");
            c.send("ECHO", "second");
            assertEquals("PONG", c.read());
            assertEquals("second", c.read());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 1_150, "both answers are late");
        }
        try (RespClient c = RespClient.connect(DcsSimulator.of(sim).standbyEndpoint(DCS_ID))) {
            long t0 = System.nanoTime();
            assertEquals("PONG", c.call("PING"));
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 500, "the standby is not slow");
        }
        assertEquals("up", info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("master_link_status"));
        assertEquals("RUNNING", detail().getString("status"));
    }

    @Test
    void slowMasterAnswersAfterATypicalProbeTimeout() throws IOException {
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.SLOW);
        try (RespClient c = new RespClient(DcsSimulator.of(sim).primaryEndpoint(DCS_ID), Duration.ofMillis(1_000))) {
            assertThrows(java.net.SocketTimeoutException.class, () -> c.call("PING"));
        }
    }

    // ------------------------------------------------------------------ LAG

    @Test
    void lagPutsTheStandbyFarBehindAndShowsOnDrsAndDws() throws IOException {
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.LAG);
        sim.dataPlaneFault(DRS_ID, DataPlaneFault.LAG);
        sim.dataPlaneFault(DWS_ID, DataPlaneFault.LAG);

        Map<String, String> master = info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
        Map<String, String> standby = info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID));
        long behind = Long.parseLong(master.get("master_repl_offset")) - Long.parseLong(standby.get("slave_repl_offset"));
        assertTrue(behind > 100 * MB, "behind by " + behind);
        assertEquals("up", standby.get("master_link_status"));
        assertEquals(standby.get("slave_repl_offset"), RespClient.parseFields(master.get("slave0")).get("offset"));

        JsonObject progress = json(signed("POST", "/v3/" + PROJECT + "/jobs/batch-progress",
                "{\"jobs\":[\"" + DRS_ID + "\"]}")).getJsonArray("results").getJsonObject(0);
        assertTrue(Long.parseLong(progress.getString("incre_trans_delay")) >= 600);
        assertEquals("INCRE_TRANSFER_STARTED", progress.getString("transfer_status"));
        Instant lastSync = Instant.parse(dws().getJsonObject("primary_cluster").getString("last_success_time"));
        assertTrue(lastSync.isBefore(clock.instant().minus(Duration.ofHours(3))));

        sim.clearDataPlaneFaults();

        assertEquals(info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)).get("master_repl_offset"),
                info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("slave_repl_offset"));
        assertEquals("0", json(signed("POST", "/v3/" + PROJECT + "/jobs/batch-progress",
                "{\"jobs\":[\"" + DRS_ID + "\"]}")).getJsonArray("results").getJsonObject(0)
                .getString("incre_trans_delay"));
    }

    @Test
    void lagAmountsAreConfigurable() throws IOException {
        sim.setLagFault(5 * MB, Duration.ofSeconds(42), Duration.ofMinutes(90));
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.LAG);
        sim.dataPlaneFault(DRS_ID, DataPlaneFault.LAG);

        long behind = Long.parseLong(info(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)).get("master_repl_offset"))
                - Long.parseLong(info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("slave_repl_offset"));
        assertEquals(5 * MB, behind);
        assertEquals("42", json(signed("POST", "/v3/" + PROJECT + "/jobs/batch-progress",
                "{\"jobs\":[\"" + DRS_ID + "\"]}")).getJsonArray("results").getJsonObject(0)
                .getString("incre_trans_delay"));
    }

    // ------------------------------------------------------------------ FLAP

    @Test
    void flapIsDownOneSliceInThree() throws IOException {
        assertEquals(Duration.ofSeconds(1), sim.flapSlice());
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.FLAP);

        int samples = 0;
        int down = 0;
        for (int i = 0; i < 6 * 12; i++) { // 6 periods of 3 s, sampled every 250 ms
            boolean up = answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
            assertEquals(up ? "up" : "down", info(DcsSimulator.of(sim).standbyEndpoint(DCS_ID)).get("master_link_status"));
            assertEquals("Active", replica(groups(), "master").getString("status"), "a blip is not a cloud status");
            samples++;
            down += up ? 0 : 1;
            clock.advance(Duration.ofMillis(250));
        }
        assertEquals(samples / 3, down);
    }

    @Test
    void flapStartsDownAndFollowsTheSlice() throws IOException {
        sim.setFlapSlice(Duration.ofMillis(100));
        sim.dataPlaneFault(DCS_ID, DataPlaneFault.FLAP);

        assertFalse(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
        clock.advance(Duration.ofMillis(100));
        assertTrue(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
        clock.advance(Duration.ofMillis(100));
        assertTrue(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
        clock.advance(Duration.ofMillis(100));
        assertFalse(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
    }

    // ------------------------------------------------------------------ DRS / DWS

    @Test
    void drsDownShowsInBatchStatusUntilTheVipLeavesTheFailedSide() {
        DrsSimulator.of(sim).setSwitchTime(Duration.ofSeconds(1));
        sim.dataPlaneFault(DRS_ID, DataPlaneFault.DOWN);

        assertEquals("INCRE_TRANSFER_FAILED", drsStatus());
        assertEquals("INCRE_TRANSFER_FAILED", json(signed("POST", "/v3/" + PROJECT + "/jobs/batch-progress",
                "{\"jobs\":[\"" + DRS_ID + "\"]}")).getJsonArray("results").getJsonObject(0)
                .getString("transfer_status"));

        assertEquals(202, signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"target\"}").statusCode());
        assertEquals("INCRE_TRANSFER_FAILED", drsStatus(), "still on the failed side while switching");
        clock.advance(Duration.ofSeconds(2));

        assertEquals("INCRE_TRANSFER_STARTED", drsStatus());
    }

    @Test
    void dwsDownShowsAbnormalUntilFailoverMakesTheHealthyClusterPrimary() {
        DwsSimulator.of(sim).setFailoverTime(Duration.ofSeconds(1));
        String failed = DwsSimulator.of(sim).primaryCluster(DWS_ID);
        sim.dataPlaneFault(DWS_ID, DataPlaneFault.DOWN);

        JsonObject dr = dws();
        assertEquals("abnormal", dr.getString("status"));
        assertEquals("abnormal", dr.getJsonObject("primary_cluster").getString("status"));
        assertEquals("waiting", dr.getJsonObject("standby_cluster").getString("status"));
        assertEquals("abnormal", DwsSimulator.of(sim).status(DWS_ID));

        assertEquals(200, signed("POST", failover(PROJECT, DWS_ID), null).statusCode());
        assertEquals("switchovering", dws().getString("status"));
        clock.advance(Duration.ofSeconds(2));

        dr = dws();
        assertEquals("running", dr.getString("status"));
        assertNotEquals(failed, dr.getJsonObject("primary_cluster").getString("id"));
        assertEquals("waiting", dr.getJsonObject("primary_cluster").getString("status"));
        assertEquals(failed, dr.getJsonObject("standby_cluster").getString("id"));
        assertEquals("abnormal", dr.getJsonObject("standby_cluster").getString("status"));
    }

    @Test
    void slowHasNoMeaningWithoutAListenerAndUnknownResourcesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> sim.dataPlaneFault(DRS_ID, DataPlaneFault.SLOW));
        assertThrows(IllegalArgumentException.class, () -> sim.dataPlaneFault(DWS_ID, DataPlaneFault.SLOW));
        assertThrows(IllegalArgumentException.class, () -> sim.dataPlaneFault("nope", DataPlaneFault.DOWN));
        assertEquals(Optional.empty(), sim.dataPlaneFault(DRS_ID));
    }

    // ------------------------------------------------------------------ control API and lifecycle

    @Test
    void dataPlaneFaultsAreSetAndClearedOverHttpAndShownInState() throws IOException {
        HttpResponse<String> set = unsigned("POST", "/_sandbox/dataplane",
                "{\"resource\":\"" + DCS_ID + "\",\"fault\":\"DOWN\"}", Map.of());
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(DcsSimulator.of(sim).masterNode(DCS_ID), json(set).getString("pinned_to"));
        assertEquals(Optional.of(DataPlaneFault.DOWN), sim.dataPlaneFault(DCS_ID));
        assertFalse(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));

        JsonObject state = json(unsigned("GET", "/_sandbox/state", null, Map.of()));
        JsonObject dp = state.getJsonObject("dataplane").getJsonObject(DCS_ID);
        assertEquals("DOWN", dp.getString("fault"));
        assertTrue(dp.getBoolean("down_now"));
        JsonObject endpoints = state.getJsonObject("dcs").getJsonObject(DCS_ID).getJsonObject("endpoints");
        assertEquals(DcsSimulator.of(sim).primaryEndpoint(DCS_ID), endpoints.getString("primary"));
        assertEquals(DcsSimulator.of(sim).standbyEndpoint(DCS_ID), endpoints.getString("standby"));
        assertEquals(DcsSimulator.of(sim).masterAddress(DCS_ID), endpoints.getJsonObject("nodes").getString(DCS_ID + "-node-0"));
        assertEquals("ERROR", state.getJsonObject("dcs").getJsonObject(DCS_ID).getString("status"));

        HttpResponse<String> clear = unsigned("POST", "/_sandbox/dataplane",
                "{\"resource\":\"" + DCS_ID + "\",\"fault\":null}", Map.of());
        assertEquals(200, clear.statusCode());
        assertTrue(answers(DcsSimulator.of(sim).primaryEndpoint(DCS_ID)));
        assertTrue(json(unsigned("GET", "/_sandbox/state", null, Map.of())).getJsonObject("dataplane").isEmpty());

        assertEquals(200, unsigned("POST", "/_sandbox/dataplane",
                "{\"resource\":\"" + DRS_ID + "\",\"fault\":\"LAG\"}", Map.of()).statusCode());
        assertEquals(204, unsigned("DELETE", "/_sandbox/dataplane", null, Map.of()).statusCode());
        assertEquals(Optional.empty(), sim.dataPlaneFault(DRS_ID));
    }

    @Test
    void badDataPlaneRequestsAreRefused() {
        assertEquals(404, unsigned("POST", "/_sandbox/dataplane", "{\"resource\":\"nope\",\"fault\":\"DOWN\"}",
                Map.of()).statusCode());
        HttpResponse<String> bad = unsigned("POST", "/_sandbox/dataplane",
                "{\"resource\":\"" + DCS_ID + "\",\"fault\":\"EXPLODE\"}", Map.of());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("FLAP"));
        assertEquals(400, unsigned("POST", "/_sandbox/dataplane",
                "{\"resource\":\"" + DRS_ID + "\",\"fault\":\"SLOW\"}", Map.of()).statusCode());
        assertEquals(400, unsigned("POST", "/_sandbox/dataplane", "{\"fault\":\"DOWN\"}", Map.of()).statusCode());
        assertEquals(400, unsigned("POST", "/_sandbox/dataplane", "not json", Map.of()).statusCode());
    }

    @Test
    void stopClosesEveryListener() throws IOException {
        String primary = DcsSimulator.of(sim).primaryEndpoint(DCS_ID);
        String node = DcsSimulator.of(sim).standbyAddress(DCS_ID);
        RespClient open = RespClient.connect(primary);
        assertEquals("PONG", open.call("PING"));

        sim.stop();

        assertTrue(open.closedByServer());
        open.close();
        assertThrows(ConnectException.class, () -> RespClient.connect(primary));
        assertThrows(ConnectException.class, () -> RespClient.connect(node));
        assertNull(DcsSimulator.of(sim).primaryEndpoint(DCS_ID));
    }

    @Test
    void instancesAddedBeforeStartGetListenersAtStart() throws IOException {
        CloudSimulator other = Simulators.create(vertx, AK, SK, clock);
        DcsSimulator.of(other).add(PROJECT, "early");
        assertNull(DcsSimulator.of(other).primaryEndpoint("early"));
        other.start(0);
        try {
            assertNotNull(DcsSimulator.of(other).primaryEndpoint("early"));
            assertEquals("master", info(DcsSimulator.of(other).primaryEndpoint("early")).get("role"));
            assertEquals("slave", info(DcsSimulator.of(other).standbyEndpoint("early")).get("role"));
        } finally {
            other.stop();
        }
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, String> info(String address) throws IOException {
        try (RespClient c = RespClient.connect(address)) {
            return RespClient.parseInfo((String) c.call("INFO", "replication"));
        }
    }

    static Map<String, String> server(String address) throws IOException {
        try (RespClient c = RespClient.connect(address)) {
            return RespClient.parseInfo((String) c.call("INFO", "server"));
        }
    }

    /** A probe's view: connect and PING within a short timeout. */
    static boolean answers(String address) {
        try (RespClient c = new RespClient(address, Duration.ofSeconds(2))) {
            return "PONG".equals(c.call("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    static String port(String address) {
        return address.substring(address.lastIndexOf(':') + 1);
    }

    JsonArray groups() {
        return json(signed("GET", "/v2/" + PROJECT + "/instance/" + DCS_ID + "/groups", null))
                .getJsonArray("group_list").getJsonObject(0).getJsonArray("replication_list");
    }

    JsonObject detail() {
        return json(signed("GET", "/v2/" + PROJECT + "/instances/" + DCS_ID, null));
    }

    JsonObject dws() {
        return json(signed("GET", "/v2/" + PROJECT + "/disaster-recovery/" + DWS_ID, null))
                .getJsonObject("disaster_recovery");
    }

    String drsStatus() {
        return json(signed("POST", "/v3/" + PROJECT + "/jobs/batch-status", "{\"jobs\":[\"" + DRS_ID + "\"]}"))
                .getJsonArray("results").getJsonObject(0).getString("status");
    }

    static JsonObject replica(JsonArray replicas, String role) {
        for (int i = 0; i < replicas.size(); i++) {
            if (role.equals(replicas.getJsonObject(i).getString("replication_role"))) {
                return replicas.getJsonObject(i);
            }
        }
        throw new AssertionError("no " + role + " in " + replicas);
    }
}
