package io.switchguard.kinds.dcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.sandbox.SandboxTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DcsSimulatorTest extends SandboxTestBase {

    @Test
    void v2SwapAnswers204AndTradesMasterAndStandby() {
        String master = DcsSimulator.of(sim).masterNode(DCS_ID);
        String standby = DcsSimulator.of(sim).standbyNode(DCS_ID);

        HttpResponse<String> r = signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
        assertNotNull(r.headers().firstValue("X-Request-Id").orElse(null));
        assertEquals(standby, DcsSimulator.of(sim).masterNode(DCS_ID));
        assertEquals(master, DcsSimulator.of(sim).standbyNode(DCS_ID));
    }

    @Test
    void v1SwapAnswers200WithEmptyCodeAndTrades() {
        String master = DcsSimulator.of(sim).masterNode(DCS_ID);

        HttpResponse<String> r = signed("PUT", dcsSwapV1(PROJECT, DCS_ID), null);

        assertEquals(200, r.statusCode());
        assertEquals(new JsonObject().put("code", "").put("message", "success"), json(r));
        assertEquals(master, DcsSimulator.of(sim).standbyNode(DCS_ID));
    }

    @Test
    void groupsShowRolesIpsNodeIdsAndAzCodesAndFollowTheSwap() {
        JsonObject before = json(signed("GET", "/v2/" + PROJECT + "/instance/" + DCS_ID + "/groups", null));
        assertEquals(1, before.getInteger("group_count"));
        JsonArray replicas = before.getJsonArray("group_list").getJsonObject(0).getJsonArray("replication_list");
        assertEquals(2, replicas.size());
        JsonObject master = replica(replicas, "master");
        JsonObject slave = replica(replicas, "slave");
        assertEquals(DcsSimulator.of(sim).masterNode(DCS_ID), master.getString("node_id"));
        assertEquals("sandbox-1a", master.getString("az_code"));
        assertEquals("sandbox-1b", slave.getString("az_code"));
        assertEquals("Active", master.getString("status"));
        assertNotNull(master.getString("replication_ip"));
        assertNotNull(master.getString("replication_id"));

        signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        JsonArray after = json(signed("GET", "/v2/" + PROJECT + "/instance/" + DCS_ID + "/groups", null))
                .getJsonArray("group_list").getJsonObject(0).getJsonArray("replication_list");
        assertEquals(slave.getString("node_id"), replica(after, "master").getString("node_id"));
        assertEquals(slave.getString("replication_ip"), replica(after, "master").getString("replication_ip"));
        assertEquals("sandbox-1b", replica(after, "master").getString("az_code"));
        assertEquals(master.getString("node_id"), replica(after, "slave").getString("node_id"));
    }

    @Test
    void instanceDetailsSayRunningHaWithBothAzs() {
        HttpResponse<String> r = signed("GET", "/v2/" + PROJECT + "/instances/" + DCS_ID, null);

        assertEquals(200, r.statusCode());
        JsonObject body = json(r);
        assertEquals(DCS_ID, body.getString("instance_id"));
        assertEquals("RUNNING", body.getString("status"));
        assertEquals("ha", body.getString("cache_mode"));
        assertEquals(new JsonArray().add("sandbox-1a").add("sandbox-1b"), body.getJsonArray("az_codes"));
    }

    @Test
    void unknownInstanceOrOtherProjectIs404WithDcsErrorBody() {
        HttpResponse<String> unknown = signed("POST", dcsSwapV2(PROJECT, "no-such-instance"), null);
        HttpResponse<String> otherProject = signed("POST", dcsSwapV2(OTHER_PROJECT, DCS_ID), null);

        for (HttpResponse<String> r : List.of(unknown, otherProject)) {
            assertEquals(404, r.statusCode());
            JsonObject body = json(r);
            assertNotNull(body.getString("error_code"));
            assertNotNull(body.getString("error_msg"));
            assertTrue(body.containsKey("error_ext_msg"));
        }
        assertEquals(404, signed("GET", "/v2/" + OTHER_PROJECT + "/instance/" + DCS_ID + "/groups", null)
                .statusCode());
        assertEquals(DCS_ID + "-node-0", DcsSimulator.of(sim).masterNode(DCS_ID), "the unknown calls changed nothing");
    }

    @Test
    void swapOfInstanceNotRunningIs400Dcs4049AndTradesNothing() {
        DcsSimulator.of(sim).setStatus(DCS_ID, "RESTARTING");
        String master = DcsSimulator.of(sim).masterNode(DCS_ID);

        HttpResponse<String> r = signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(400, r.statusCode());
        assertEquals("DCS.4049", json(r).getString("error_code"));
        assertEquals(master, DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void concurrentSwapsAreAllAppliedExactlyOnce() {
        String master = DcsSimulator.of(sim).masterNode(DCS_ID);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(CompletableFuture.supplyAsync(() -> signed("POST", dcsSwapV2(PROJECT, DCS_ID), null)));
        }
        futures.forEach(f -> assertEquals(204, f.join().statusCode()));

        assertEquals(master, DcsSimulator.of(sim).masterNode(DCS_ID), "an even number of swaps ends where it began");
        assertEquals(20, sim.state().getJsonObject("dcs").getJsonObject(DCS_ID).getInteger("swaps"));
        assertEquals(20, sim.count("POST", "/v2/.*/swap"));
    }

    private static JsonObject replica(JsonArray replicas, String role) {
        for (Object o : replicas) {
            JsonObject r = (JsonObject) o;
            if (role.equals(r.getString("replication_role"))) {
                return r;
            }
        }
        throw new AssertionError("no " + role + " in " + replicas);
    }
}
