package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.cloud.AkSkSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxControlApiTest extends SandboxTestBase {

    @Test
    void faultPostedOverHttpAppliesAndDeleteClearsIt() {
        HttpResponse<String> set = unsigned("POST", "/_sandbox/faults",
                "{\"resource\":\"" + DCS_ID + "\",\"fault\":\"DCS_4855\",\"times\":-1}", Map.of());
        assertEquals(200, set.statusCode());

        assertEquals(400, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        assertEquals(1, json(unsigned("GET", "/_sandbox/state", null, Map.of())).getJsonArray("faults").size());

        assertEquals(204, unsigned("DELETE", "/_sandbox/faults", null, Map.of()).statusCode());
        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
    }

    @Test
    void unknownFaultNameIs400() {
        HttpResponse<String> r = unsigned("POST", "/_sandbox/faults",
                "{\"resource\":\"x\",\"fault\":\"EXPLODE\"}", Map.of());

        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("DCS_4855"));
    }

    @Test
    void callsAreListedInOrderAndControlCallsAreNotRecorded() {
        signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);
        unsigned("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}", Map.of());

        HttpResponse<String> r = unsigned("GET", "/_sandbox/calls", null, Map.of());

        assertEquals(200, r.statusCode());
        JsonArray calls = new JsonArray(r.body());
        assertEquals(2, calls.size());
        assertEquals(dcsSwapV2(PROJECT, DCS_ID), calls.getJsonObject(0).getString("path"));
        assertTrue(calls.getJsonObject(0).getBoolean("authenticated"));
        assertEquals(204, calls.getJsonObject(0).getInteger("status"));
        assertFalse(calls.getJsonObject(1).getBoolean("authenticated"));
        assertEquals(401, calls.getJsonObject(1).getInteger("status"));
        assertEquals(2, sim.calls().size());
    }

    /**
     * The call log over HTTP shows how each call was signed, never with what: no access key, security token or
     * IAM token. The in-process log (sim.calls()) keeps them, for tests telling which key signed.
     */
    @Test
    void theCallLogOverHttpShowsNoKeyNorToken() {
        String securityToken = "temporary-security-token-0f3c";
        String authToken = "iam-token-77aa";
        byte[] none = new byte[0];
        URI uri = URI.create(base + dcsSwapV2(PROJECT, DCS_ID));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Security-Token", securityToken);
        send("POST", uri, AkSkSigner.sign("POST", uri, headers, none, AK, SK, clock.instant()),
                none, Duration.ofSeconds(30));
        unsigned("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}", Map.of("X-Auth-Token", authToken));

        HttpResponse<String> r = unsigned("GET", "/_sandbox/calls", null, Map.of());

        assertEquals(200, r.statusCode());
        for (String secret : new String[] {AK, securityToken, authToken}) {
            assertFalse(r.body().contains(secret), secret + " in " + r.body());
        }
        JsonObject signedHeaders = new JsonArray(r.body()).getJsonObject(0).getJsonObject("headers");
        assertTrue(signedHeaders.getString("Authorization").startsWith("SDK-HMAC-SHA256 Access=***"),
                signedHeaders.toString());
        assertEquals("***", signedHeaders.getString("X-Security-Token"), signedHeaders.toString());
        assertTrue(sim.calls().get(0).headers().get("Authorization").contains("Access=" + AK));
    }

    @Test
    void countMatchesMethodAndPathRegexAndResetClears() {
        signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);
        signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);
        signed("GET", "/v2/" + PROJECT + "/instance/" + DCS_ID + "/groups", null);

        assertEquals(2, sim.count("POST", "/v2/[^/]+/instances/[^/]+/swap"));
        assertEquals(1, sim.count("GET", ".*/groups"));
        assertEquals(0, sim.count("PUT", ".*"));
        assertEquals(3, sim.count(null, ".*"));

        sim.resetCalls();

        assertEquals(0, sim.count(null, ".*"));
    }

    @Test
    void stateShowsEveryResource() {
        signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        JsonObject state = json(unsigned("GET", "/_sandbox/state", null, Map.of()));

        assertEquals(DCS_ID + "-node-1", state.getJsonObject("dcs").getJsonObject(DCS_ID)
                .getJsonObject("master").getString("node_id"));
        assertEquals("INCRE_TRANSFER_STARTED", state.getJsonObject("drs").getJsonObject(DRS_ID).getString("status"));
        assertEquals("running", state.getJsonObject("dws").getJsonObject(DWS_ID).getString("status"));
    }

    @Test
    void everyResponseCarriesARequestId() {
        for (HttpResponse<String> r : new HttpResponse[] {
            unsigned("GET", "/_sandbox/state", null, Map.of()),
            unsigned("GET", "/nowhere", null, Map.of()),
            signed("GET", "/v2/" + PROJECT + "/instances/" + DCS_ID, null)}) {
            assertTrue(r.headers().firstValue("X-Request-Id").orElse("").length() >= 32, r.uri().toString());
        }
    }
}
