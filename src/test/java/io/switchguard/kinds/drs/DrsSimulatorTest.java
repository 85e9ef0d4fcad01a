package io.switchguard.kinds.drs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.switchguard.sandbox.SandboxTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrsSimulatorTest extends SandboxTestBase {

    private String status() {
        return "/v3/" + PROJECT + "/jobs/" + DRS_ID + "/get-switch-vip-status";
    }

    @Test
    void switchVipAnswers202SuccessThenStatusGoesFromStartToComplete() {
        HttpResponse<String> r = signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"target\"}");

        assertEquals(202, r.statusCode());
        assertEquals(new JsonObject().put("id", DRS_ID).put("status", "success"), json(r));
        assertEquals(new JsonObject().put("id", DRS_ID).put("status", "SWITCH_VIP_START"),
                json(signed("GET", status(), null)));
        assertNull(DrsSimulator.of(sim).vipSide(DRS_ID), "not moved while the switch runs");

        clock.advance(Duration.ofMillis(300));

        HttpResponse<String> done = signed("GET", status(), null);
        assertEquals(200, done.statusCode());
        assertEquals(new JsonObject().put("id", DRS_ID).put("status", "SWITCH_VIP_COMPLETE"), json(done));
        assertEquals("target", DrsSimulator.of(sim).vipSide(DRS_ID));
    }

    @Test
    void switchTimeIsConfigurable() {
        DrsSimulator.of(sim).setSwitchTime(Duration.ofSeconds(5));
        signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}");

        clock.advance(Duration.ofSeconds(4));
        assertEquals("SWITCH_VIP_START", DrsSimulator.of(sim).switchStatus(DRS_ID));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("SWITCH_VIP_COMPLETE", DrsSimulator.of(sim).switchStatus(DRS_ID));
        assertEquals("source", DrsSimulator.of(sim).vipSide(DRS_ID));
    }

    @Test
    void switchVipWithModeOtherThanSourceOrTargetIs400WithDrsErrorBody() {
        for (String body : new String[] {"{\"mode\":\"both\"}", "{}", "", "not json"}) {
            HttpResponse<String> r = signed("POST", switchVip(PROJECT, DRS_ID), body);
            assertEquals(400, r.statusCode(), body);
            JsonObject error = json(r);
            assertEquals("DRS.10000001", error.getString("error_code"));
            assertFalse(error.getString("error_msg").isEmpty());
        }
        assertNull(DrsSimulator.of(sim).switchStatus(DRS_ID));
    }

    @Test
    void switchStatusBeforeAnySwitchHasOnlyTheId() {
        assertEquals(new JsonObject().put("id", DRS_ID), json(signed("GET", status(), null)));
    }

    @Test
    void batchStatusReportsIncrementalTransferAndMarksUnknownJobs() {
        HttpResponse<String> r = signed("POST", "/v3/" + PROJECT + "/jobs/batch-status",
                "{\"jobs\":[\"" + DRS_ID + "\",\"nope\"],\"page_req\":{\"cur_page\":1,\"per_page\":10}}");

        assertEquals(200, r.statusCode());
        JsonObject body = json(r);
        assertEquals(2, body.getInteger("count"));
        JsonArray results = body.getJsonArray("results");
        assertEquals(new JsonObject().put("id", DRS_ID).put("status", "INCRE_TRANSFER_STARTED"),
                results.getJsonObject(0));
        assertEquals("DRS.10000010", results.getJsonObject(1).getString("error_code"));
        assertFalse(results.getJsonObject(1).getString("error_message").isEmpty());
    }

    @Test
    void batchProgressAnswers202WithLagInSecondsAndMillisAsStrings() {
        DrsSimulator.of(sim).setLag(DRS_ID, Duration.ofMillis(42_500));

        HttpResponse<String> r = signed("POST", "/v3/" + PROJECT + "/jobs/batch-progress",
                "{\"jobs\":[\"" + DRS_ID + "\"]}");

        assertEquals(202, r.statusCode());
        JsonObject result = json(r).getJsonArray("results").getJsonObject(0);
        assertEquals(DRS_ID, result.getString("job_id"));
        assertEquals("42", result.getString("incre_trans_delay"));
        assertEquals("42500", result.getString("incre_trans_delay_millis"));
        assertEquals("INCRE_TRANSFER_STARTED", result.getString("transfer_status"));
        assertEquals("100", result.getString("progress"));
        assertEquals(Long.toString(clock.instant().toEpochMilli()), result.getString("process_time"));
    }

    @Test
    void batchCallsWithoutJobsAre400() {
        assertEquals(400, signed("POST", "/v3/" + PROJECT + "/jobs/batch-progress", "{}").statusCode());
        assertEquals(400, signed("POST", "/v3/" + PROJECT + "/jobs/batch-status", "[]").statusCode());
    }

    @Test
    void jobOfAnotherProjectIs404() {
        HttpResponse<String> r = signed("POST", switchVip(OTHER_PROJECT, DRS_ID), "{\"mode\":\"source\"}");

        assertEquals(404, r.statusCode());
        assertEquals("DRS.10000010", json(r).getString("error_code"));
        assertNull(DrsSimulator.of(sim).switchStatus(DRS_ID));
    }
}
