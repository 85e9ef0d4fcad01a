package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.cloud.AkSkSigner;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxFaultsTest extends SandboxTestBase {

    private String node0() {
        return DCS_ID + "-node-0";
    }

    @Test
    void dcs4855IsTheDocumented400BodyAndNoSwap() {
        sim.fault(DCS_ID, SandboxFault.DCS_4855, 1);

        HttpResponse<String> r = signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(400, r.statusCode());
        assertEquals(new JsonObject().put("error_msg", "Master standby swap is not supported.")
                .put("error_code", "DCS.4855").putNull("error_ext_msg"), json(r));
        assertEquals(node0(), DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void dcs5094Is500AndNoSwap() {
        sim.fault(DCS_ID, SandboxFault.DCS_5094, 1);

        HttpResponse<String> r = signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(500, r.statusCode());
        assertEquals(new JsonObject().put("error_msg", "Master standby swap failed.")
                .put("error_code", "DCS.5094").putNull("error_ext_msg"), json(r));
        assertEquals(node0(), DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @ParameterizedTest
    @CsvSource({"V1_CODE_1,1", "V1_CODE_2,2", "V1_CODE_3,3"})
    void v1CodeFaultsAnswer200WithNonEmptyCodeAndNoSwap(SandboxFault fault, String code) {
        sim.fault(DCS_ID, fault, 1);

        HttpResponse<String> r = signed("PUT", dcsSwapV1(PROJECT, DCS_ID), null);

        assertEquals(200, r.statusCode());
        assertEquals(code, json(r).getString("code"));
        assertTrue(json(r).getString("message").endsWith("\r"));
        assertEquals(node0(), DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void v1Code1IsTheDocumentedExample() {
        sim.fault(DCS_ID, SandboxFault.V1_CODE_1, 1);

        HttpResponse<String> r = signed("PUT", dcsSwapV1(PROJECT, DCS_ID), null);

        assertEquals(new JsonObject().put("code", "1").put("message", "repliation abnormal, master connected_slaves:0\r"),
                json(r));
    }

    @Test
    void v1CodeFaultDoesNotApplyToV2SwapAndIsNotConsumedByIt() {
        sim.fault(DCS_ID, SandboxFault.V1_CODE_2, 1);

        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        assertEquals("2", json(signed("PUT", dcsSwapV1(PROJECT, DCS_ID), null)).getString("code"));
    }

    @Test
    void drsFailedIs202StatusFailedWithErrorAndNoSwitch() {
        sim.fault(DRS_ID, SandboxFault.DRS_FAILED, 1);

        HttpResponse<String> r = signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}");

        assertEquals(202, r.statusCode());
        JsonObject body = json(r);
        assertEquals(DRS_ID, body.getString("id"));
        assertEquals("failed", body.getString("status"));
        assertTrue(body.getString("error_code").startsWith("DRS."));
        assertTrue(!body.getString("error_msg").isEmpty());
        assertNull(DrsSimulator.of(sim).switchStatus(DRS_ID));
        assertNull(DrsSimulator.of(sim).vipSide(DRS_ID));
    }

    @Test
    void drsSwitchFailedAnswersSuccessButStatusEndsFailed() {
        sim.fault(DRS_ID, SandboxFault.DRS_SWITCH_FAILED, 1);

        HttpResponse<String> r = signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}");
        assertEquals(202, r.statusCode());
        assertEquals("success", json(r).getString("status"));
        assertEquals("SWITCH_VIP_START", DrsSimulator.of(sim).switchStatus(DRS_ID));

        clock.advance(Duration.ofMillis(300));

        JsonObject status = json(signed("GET", "/v3/" + PROJECT + "/jobs/" + DRS_ID + "/get-switch-vip-status", null));
        assertEquals("SWITCH_VIP_FAILED", status.getString("status"));
        assertTrue(status.getString("error_code").startsWith("DRS."));
        assertNull(DrsSimulator.of(sim).vipSide(DRS_ID));
    }

    @Test
    void dwsFailoverFailsIsSubmittedThenAbnormalWithRolesUnchanged() {
        sim.fault(DWS_ID, SandboxFault.DWS_FAILOVER_FAILS, 1);
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);

        HttpResponse<String> r = signed("POST", failover(PROJECT, DWS_ID), null);
        assertEquals(200, r.statusCode());
        assertEquals("switchovering", DwsSimulator.of(sim).status(DWS_ID));

        clock.advance(Duration.ofSeconds(1));

        JsonObject dr = json(signed("GET", "/v2/" + PROJECT + "/disaster-recovery/" + DWS_ID, null))
                .getJsonObject("disaster_recovery");
        assertEquals("abnormal", dr.getString("status"));
        assertEquals(primary, dr.getJsonObject("primary_cluster").getString("id"));
    }

    @ParameterizedTest
    @CsvSource({
        "HTTP_401,401,error_code,APIGW.0301",
        "HTTP_404,404,error_code,APIGW.0101",
        "HTTP_500,500,code,SYS.0500"})
    void flatHttpFaultsUseFlatErrorBodies(SandboxFault fault, int status, String codeField, String code) {
        sim.fault(DCS_ID, fault, 1);

        HttpResponse<String> r = signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(status, r.statusCode());
        JsonObject body = json(r);
        assertEquals(code, body.getString(codeField));
        assertTrue(body.containsKey(codeField.equals("code") ? "message" : "error_msg"));
        assertEquals(node0(), DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @ParameterizedTest
    @CsvSource({"HTTP_403,403,APIGW.0402", "HTTP_503,503,APIGW.0801"})
    void nestedHttpFaultsUseTheGatewayErrorObject(SandboxFault fault, int status, String code) {
        sim.fault(DWS_ID, fault, 1);

        HttpResponse<String> r = signed("POST", failover(PROJECT, DWS_ID), null);

        assertEquals(status, r.statusCode());
        JsonObject error = json(r).getJsonObject("error");
        assertEquals(code, error.getString("code"));
        assertTrue(!error.getString("message").isEmpty());
        assertEquals("running", DwsSimulator.of(sim).status(DWS_ID));
    }

    @Test
    void nonJson500HasAnHtmlBody() {
        sim.fault(DRS_ID, SandboxFault.NON_JSON_500, 1);

        HttpResponse<String> r = signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}");

        assertEquals(500, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(r.body().startsWith("<html>"));
        assertNull(DrsSimulator.of(sim).switchStatus(DRS_ID));
    }

    @Test
    void empty500HasNoBody() {
        sim.fault(DCS_ID, SandboxFault.EMPTY_500, 1);

        HttpResponse<String> r = signed("PUT", dcsSwapV1(PROJECT, DCS_ID), null);

        assertEquals(500, r.statusCode());
        assertEquals("", r.body());
        assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
        assertEquals(node0(), DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void slowSwapTakesEffectAtOnceButAnswersOnlyAfterSlowDelay() {
        sim.setSlowDelay(Duration.ofMillis(1500));
        sim.fault(DCS_ID, SandboxFault.SLOW, 1);
        long start = System.nanoTime();

        CompletableFuture<HttpResponse<String>> answer =
                CompletableFuture.supplyAsync(() -> signed("POST", dcsSwapV2(PROJECT, DCS_ID), null));

        Awaitility.await().atMost(Duration.ofSeconds(1))
                .until(() -> (DCS_ID + "-node-1").equals(DcsSimulator.of(sim).masterNode(DCS_ID)));
        assertTrue(!answer.isDone(), "the swap took effect before the answer");
        HttpResponse<String> r = answer.join();
        assertEquals(204, r.statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1400);
    }

    @Test
    void slowSwapLeavesACallerThatTimedOutWithTheSwapDone() throws Exception {
        sim.setSlowDelay(Duration.ofSeconds(2));
        sim.fault(DCS_ID, SandboxFault.SLOW, 1);
        URI uri = URI.create(base + dcsSwapV2(PROJECT, DCS_ID));
        Map<String, String> headers = AkSkSigner.sign("POST", uri, Map.of(), new byte[0], AK, SK, clock.instant());

        Exception e = assertThrows(Exception.class, () -> send("POST", uri, headers, new byte[0], Duration.ofMillis(300)));

        assertTrue(e.getCause() instanceof HttpTimeoutException, e.toString());
        assertEquals(DCS_ID + "-node-1", DcsSimulator.of(sim).masterNode(DCS_ID));
        assertEquals(1, sim.count("POST", ".*/swap"));
        Thread.sleep(2200); // the late answer to a closed connection must not break the server
        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
    }

    @Test
    void noEffectAnswers204ButRolesDoNotTrade() {
        sim.fault(DCS_ID, SandboxFault.NO_EFFECT, 1);

        HttpResponse<String> r = signed("POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(204, r.statusCode());
        assertEquals(node0(), DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void status404HitsTheStatusApisButNotTheSwitchover() {
        sim.fault(DCS_ID, SandboxFault.STATUS_404, -1);
        sim.fault(DRS_ID, SandboxFault.STATUS_404, -1);
        sim.fault(DWS_ID, SandboxFault.STATUS_404, -1);

        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        assertEquals(202, signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"target\"}").statusCode());
        assertEquals(200, signed("POST", failover(PROJECT, DWS_ID), null).statusCode());
        for (String path : new String[] {
            "/v2/" + PROJECT + "/instance/" + DCS_ID + "/groups",
            "/v3/" + PROJECT + "/jobs/" + DRS_ID + "/get-switch-vip-status",
            "/v2/" + PROJECT + "/disaster-recovery/" + DWS_ID}) {
            HttpResponse<String> r = signed("GET", path, null);
            assertEquals(404, r.statusCode(), path);
            assertEquals("APIGW.0101", json(r).getString("error_code"));
        }
        assertEquals(200, signed("GET", "/v2/" + PROJECT + "/instances/" + DCS_ID, null).statusCode());
    }

    @Test
    void faultWithTimesAppliesThatManyTimesThenTheCallsSucceed() {
        sim.fault(DCS_ID, SandboxFault.HTTP_503, 2);

        assertEquals(503, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        assertEquals(503, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
    }

    @Test
    void faultWithNegativeTimesLastsUntilCleared() {
        sim.fault(DCS_ID, SandboxFault.DCS_5094, -1);
        for (int i = 0; i < 5; i++) {
            assertEquals(500, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        }

        sim.clearFaults();

        assertEquals(204, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
    }

    @Test
    void faultOnAnyResourceHitsEveryService() {
        sim.fault(CloudSimulator.ANY_RESOURCE, SandboxFault.HTTP_500, -1);

        assertEquals(500, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
        assertEquals(500, signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"target\"}").statusCode());
        assertEquals(500, signed("POST", failover(PROJECT, DWS_ID), null).statusCode());
    }

    @Test
    void unauthenticatedCallDoesNotConsumeAFault() {
        sim.fault(DCS_ID, SandboxFault.DCS_4855, 1);

        assertEquals(401, unsigned("POST", dcsSwapV2(PROJECT, DCS_ID), null, Map.of()).statusCode());
        assertEquals(400, signed("POST", dcsSwapV2(PROJECT, DCS_ID), null).statusCode());
    }
}
