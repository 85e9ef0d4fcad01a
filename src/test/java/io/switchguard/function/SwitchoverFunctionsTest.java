package io.switchguard.function;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.CACHE_V1;
import static io.switchguard.sandbox.SandboxApi.DB;
import static io.switchguard.sandbox.SandboxApi.DW;
import static io.switchguard.sandbox.SandboxApi.FAILOVER;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static io.switchguard.sandbox.SandboxApi.SWAP_V1;
import static io.switchguard.sandbox.SandboxApi.SWITCH_VIP;
import static io.switchguard.sandbox.SandboxApi.api;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.switchguard.http.ApiKeys;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxCloudTest;
import io.switchguard.sandbox.SandboxFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The switchover functions end to end: real HTTP in, the sandbox cloud over real HTTP behind. */
@QuarkusTest
class SwitchoverFunctionsTest extends SandboxCloudTest {

    @Inject
    ApiKeys keys;

    // ---- success of each kind ----

    @Test
    void swapSucceedsVerifiedAndTradesMasterAndStandby() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        post("swap", "{\"target\":\"demo-cache\",\"reason\":\"planned test\"}").then()
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("VERIFIED"))
                .body("action", equalTo("swap"))
                .body("trigger", equalTo("manual"))
                .body("reason", equalTo("planned test"))
                .body("cloud.httpStatus", equalTo(204))
                .body("cloud.requestId", notNullValue())
                .body("error_code", nullValue());
        assertNotEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE));
        assertEquals(1, calls("POST", SWAP));
        api().get("/actions?target=demo-cache&limit=1").then().statusCode(200)
                .body("[0].status", equalTo("SUCCEEDED"))
                .body("[0].reason", equalTo("planned test"))
                .body("[0].steps.name", org.hamcrest.Matchers.hasItems("accepted", "call", "call.result", "verify"));
    }

    /** The journal names who asked: the label of the caller's key (never the key), on the entry's first line. */
    @Test
    void aManualSwapsJournalNamesTheCallersKey() {
        String label = keys.label(SandboxApi.KEY);
        post("swap", "{\"target\":\"demo-cache\",\"reason\":\"who asked\"}").then().statusCode(200)
                .body("steps[0].name", equalTo("accepted"))
                .body("steps[0].detail", containsString("by " + label))
                .body("steps[0].detail", not(containsString(SandboxApi.KEY)));
    }

    /**
     * Swaps served one after the other reuse the cloud client's pooled connections. A call begun on the serving
     * worker's own Vert.x context once stalled there until its read timeout: the pool handed it a freed connection
     * through that context, whose thread was the one waiting (the snapshot read timed out, the swap went unverified).
     */
    @Test
    void swapsOneAfterTheOtherAreEachVerified() {
        for (int i = 0; i < 12; i++) {
            post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                    .body("verification", equalTo("VERIFIED"))
                    .body("steps.find { it.name == 'snapshot' }.detail", containsString("masters before"));
        }
        assertEquals(12, calls("POST", SWAP));
    }

    @Test
    void everyCloudCallIsSigned() {
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200);
        assertEquals(0, cloud.calls().stream().filter(c -> !c.authenticated()).count());
        String auth = cloud.calls().get(0).headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Authorization")).findFirst().orElseThrow().getValue();
        org.hamcrest.MatcherAssert.assertThat(auth, containsString("SDK-HMAC-SHA256 Access=TESTACCESSKEY"));
    }

    @Test
    void dcsV1SwapSucceedsOnEmptyCode() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE_V1);
        post("swap", "{\"target\":\"demo-cache-v1\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("verification", equalTo("VERIFIED"))
                .body("cloud.httpStatus", equalTo(200));
        assertNotEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE_V1));
        assertEquals(1, calls("PUT", SWAP_V1));
    }

    @Test
    void switchVipSucceedsOnceStatusSaysComplete() {
        post("switch-vip", "{\"target\":\"demo-db\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("verification", equalTo("VERIFIED"))
                .body("cloud.httpStatus", equalTo(202));
        assertEquals(1, calls("POST", SWITCH_VIP));
        assertEquals("{\"mode\":\"source\"}", cloud.calls().stream()
                .filter(c -> c.path().endsWith("/switch-vip")).findFirst().orElseThrow().body());
    }

    @Test
    void switchVipTakesModeFromTheRequest() {
        post("switch-vip", "{\"target\":\"demo-db\",\"mode\":\"target\"}").then().statusCode(200);
        assertEquals("{\"mode\":\"target\"}", cloud.calls().stream()
                .filter(c -> c.path().endsWith("/switch-vip")).findFirst().orElseThrow().body());
    }

    @Test
    void failoverIsSubmittedThenRecordedSucceededWhenTheDrSettles() {
        String primaryBefore = DwsSimulator.of(cloud).primaryCluster(DW);
        String actionId = post("failover", "{\"target\":\"demo-dw\"}").then().statusCode(202)
                .body("status", equalTo("SUBMITTED"))
                .body("verification", equalTo("PENDING"))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                api().get("/actions?target=demo-dw&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].status", equalTo("SUCCEEDED"))
                        .body("[0].verification", equalTo("VERIFIED"))
                        .body("[0].finishedAt", notNullValue()));
        assertNotEquals(primaryBefore, DwsSimulator.of(cloud).primaryCluster(DW));
        assertEquals(1, calls("POST", FAILOVER));
    }

    /**
     * A failover whose primary before could not be read cannot be verified, but it is not called SUCCEEDED (nor its
     * event sent) while the DR is still failing over: only once the DR runs again, said so (SKIPPED).
     */
    @Test
    void aFailoverWhosePrimaryBeforeWasUnreadableIsNotSucceededBeforeTheDrRunsAgain() {
        // Forced: no guard reads first; both reads of the primary before the call time out.
        cloud.fault(DW, SandboxFault.STATUS_SLOW, 2);
        String actionId = post("failover", "{\"target\":\"demo-dw\",\"force\":true}").then()
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                api().get("/actions?target=demo-dw&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].finishedAt", notNullValue()));
        api().get("/actions?target=demo-dw&limit=1").then()
                .body("[0].status", equalTo("SUCCEEDED"))
                .body("[0].verification", equalTo("SKIPPED"))
                .body("[0].detail", containsString("DR status running"));
        assertEquals(1, calls("POST", FAILOVER));
    }

    // ---- the cloud says no ----

    @Test
    void dcs4855IsFailedWithTheCloudsCode() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        cloud.fault(CACHE, SandboxFault.DCS_4855, 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("error_code", equalTo("DCS.4855"))
                .body("error_msg", equalTo("Master standby swap is not supported."))
                .body("cloud.httpStatus", equalTo(400))
                .body("cloud.errorCode", equalTo("DCS.4855"));
        assertEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE));
    }

    @Test
    void dcsV1CodesOneTwoThreeAreFailuresDespiteHttp200() {
        for (SandboxFault fault : List.of(SandboxFault.V1_CODE_1, SandboxFault.V1_CODE_2, SandboxFault.V1_CODE_3)) {
            String code = fault.name().substring(fault.name().length() - 1);
            String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE_V1);
            cloud.fault(CACHE_V1, fault, 1);
            post("swap", "{\"target\":\"demo-cache-v1\"}").then().statusCode(502)
                    .body("status", equalTo("FAILED"))
                    .body("cloud.httpStatus", equalTo(200))
                    .body("cloud.errorCode", equalTo(code))
                    .body("error_code", equalTo("SG.5020"))
                    .body("error_msg", notNullValue());
            assertEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE_V1), fault.name());
        }
    }

    @Test
    void drsStatusFailedInA202IsFailed() {
        cloud.fault(DB, SandboxFault.DRS_FAILED, 1);
        post("switch-vip", "{\"target\":\"demo-db\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("cloud.httpStatus", equalTo(202))
                .body("cloud.errorCode", notNullValue())
                .body("error_msg", notNullValue());
    }

    @Test
    void drsSwitchThatEndsFailedIsFailedByVerification() {
        cloud.fault(DB, SandboxFault.DRS_SWITCH_FAILED, 1);
        post("switch-vip", "{\"target\":\"demo-db\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("FAILED"))
                .body("error_code", equalTo("SG.5021"));
    }

    @Test
    void dwsFailoverThatEndsAbnormalIsRecordedFailed() {
        cloud.fault(DW, SandboxFault.DWS_FAILOVER_FAILS, 1);
        String actionId = post("failover", "{\"target\":\"demo-dw\"}").then().statusCode(202)
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                api().get("/actions?target=demo-dw&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].status", equalTo("FAILED"))
                        .body("[0].verification", equalTo("FAILED")));
    }

    @Test
    void httpErrorsOfEveryShapeSurfaceCodeAndMessage() {
        for (SandboxFault fault : List.of(SandboxFault.HTTP_401, SandboxFault.HTTP_403, SandboxFault.HTTP_404,
                SandboxFault.HTTP_500, SandboxFault.HTTP_503)) {
            int status = Integer.parseInt(fault.name().substring(5));
            cloud.fault(CACHE, fault, 1);
            Response r = post("swap", "{\"target\":\"demo-cache\"}");
            r.then().statusCode(502).body("status", equalTo("FAILED"))
                    .body("cloud.httpStatus", equalTo(status))
                    .body("cloud.errorMsg", notNullValue())
                    .body("error_code", notNullValue())
                    .body("error_msg", notNullValue());
        }
    }

    @Test
    void nonJsonAndEmptyErrorBodiesStillGiveAClearMessage() {
        cloud.fault(CACHE, SandboxFault.NON_JSON_500, 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("error_code", equalTo("SG.5020"))
                .body("error_msg", containsString("HTTP 500 with a non-JSON body"));
        cloud.fault(CACHE, SandboxFault.EMPTY_500, 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("error_msg", containsString("HTTP 500 with an empty body"));
    }

    @Test
    void verificationThatCannotBeDoneIsSkippedNotClaimed() {
        cloud.fault(CACHE, SandboxFault.STATUS_404, -1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("SKIPPED"));
    }

    /**
     * The roles are read before the swap so its outcome can be verified; a read that timed out once is read again
     * (a read is safe to repeat; the swap is not), instead of swapping with the outcome unverifiable.
     */
    @Test
    void aStateReadThatTimedOutBeforeTheSwapIsReadAgainSoTheSwapIsVerified() {
        // Forced: no guard reads the state first, so the one slow read is the roles' read before the swap.
        cloud.fault(CACHE, SandboxFault.STATUS_SLOW, 1);
        post("swap", "{\"target\":\"demo-cache\",\"force\":true}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("VERIFIED"))
                .body("steps.detail", org.hamcrest.Matchers.hasItem(containsString("; reading again")));
        assertEquals(1, calls("POST", SWAP));
    }

    @Test
    void a204WithoutRolesTradingIsNotASuccess() {
        cloud.fault(CACHE, SandboxFault.NO_EFFECT, 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(202)
                .body("status", equalTo("SUBMITTED")).body("verification", equalTo("PENDING"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                api().get("/actions?target=demo-cache&limit=1").then()
                        .body("[0].status", equalTo("FAILED"))
                        .body("[0].verification", equalTo("FAILED"))
                        .body("[0].error_code", equalTo("SG.5021")));
    }

    // ---- safety ----

    @Test
    void swapIsNotRetriedAfterTimeoutAndTheOutcomeIsLearnedFromState() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        cloud.fault(CACHE, SandboxFault.SLOW, 1);
        // No answer within the read timeout; the state, read at once, shows the swap happened.
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("VERIFIED"))
                .body("steps.detail", org.hamcrest.Matchers.hasItem(containsString("no answer")));
        assertEquals(1, calls("POST", SWAP));
        assertNotEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE));
    }

    @Test
    void aRefusedConnectionIsRetriedBecauseNothingWasSent() {
        int port = java.net.URI.create(cloud.baseUrl()).getPort();
        cloud.stop();
        try {
            // Forced: with the simulator down its standby is unreachable too, and the standby guard would say no first.
            post("swap", "{\"target\":\"demo-cache\",\"force\":true}").then().statusCode(502)
                    .body("status", equalTo("FAILED"))
                    .body("error_code", equalTo("SG.5030"))
                    .body("verification", equalTo("NONE"));
        } finally {
            cloud.start(port);
            sandbox.pointDemoProbes();
        }
        List<String> attempts = api().get("/actions?target=demo-cache&limit=1").jsonPath()
                .getList("[0].steps.findAll { it.name == 'call' }.detail");
        assertEquals(3, attempts.size(), attempts.toString());
    }

    @Test
    void twentyConcurrentSwapsMakeExactlyOneCloudCall() throws Exception {
        // The cloud answers after 700 ms (inside the 1 s read timeout), so all twenty overlap the first.
        Duration slow = cloud.slowDelay();
        cloud.setSlowDelay(Duration.ofMillis(700));
        cloud.fault(CACHE, SandboxFault.SLOW, 1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit((Callable<Integer>) () -> {
                start.await();
                return post("swap", "{\"target\":\"demo-cache\"}").statusCode();
            }));
        }
        start.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : answers) {
            codes.add(f.get());
        }
        pool.shutdown();
        cloud.setSlowDelay(slow);
        assertEquals(1, calls("POST", SWAP));
        assertEquals(1, codes.stream().filter(c -> c == 200).count(), codes.toString());
        assertEquals(19, codes.stream().filter(c -> c == 409).count(), codes.toString());
    }

    @Test
    void inFlightRejectionSaysWhy() {
        cloud.fault(CACHE, SandboxFault.SLOW, 1);
        new Thread(() -> post("swap", "{\"target\":\"demo-cache\"}")).start();
        await().atMost(Duration.ofSeconds(3)).until(() -> calls("POST", SWAP) == 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(409)
                .body("status", equalTo("REJECTED"))
                .body("error_code", equalTo("SG.4090"))
                .body("error_msg", containsString("in flight"));
    }

    @Test
    void repeatedRequestIdReturnsTheFirstResultWithoutASecondCall() {
        String requestId = "req-" + UUID.randomUUID();
        String body = "{\"target\":\"demo-cache\",\"requestId\":\"" + requestId + "\"}";
        String first = post("swap", body).then().statusCode(200).extract().path("actionId");
        String second = post("swap", body).then().statusCode(200).extract().path("actionId");
        assertEquals(first, second);
        assertEquals(1, calls("POST", SWAP));
    }

    @Test
    void requestIdOfAnotherTargetIsAConflict() {
        String requestId = "req-" + UUID.randomUUID();
        post("swap", "{\"target\":\"demo-cache\",\"requestId\":\"" + requestId + "\"}").then().statusCode(200);
        post("swap", "{\"target\":\"demo-cache-v1\",\"requestId\":\"" + requestId + "\"}").then().statusCode(409)
                .body("error_code", equalTo("SG.4092"));
        assertEquals(0, calls("PUT", SWAP_V1));
    }

    /** A switchover is a POST: a GET (a link followed, a prefetch) with the key and a query string switches nothing. */
    @Test
    void aGetOfASwitchoverFunctionSwitchesNothing() {
        int status = io.switchguard.sandbox.SandboxApi.api().get("/swap?target=demo-cache").statusCode();
        assertEquals(0, cloud.count("POST", ".*/swap"), "GET /swap swapped (answered " + status + ")");
    }

    @Test
    void dryRunCallsNothingAndIsJournaled() {
        post("swap", "{\"target\":\"demo-cache\",\"dryRun\":true}").then().statusCode(200)
                .body("status", equalTo("DRY_RUN"))
                .body("dryRun", equalTo(true))
                .body("detail", containsString("would call POST"));
        // The standby check may read status; nothing that switches is called.
        assertEquals(0, cloud.count(null, ".*/swap"));
        api().get("/actions?target=demo-cache&limit=1").then().body("[0].status", equalTo("DRY_RUN"));
    }

    // ---- bad input: 400, and the cloud never hears of it ----

    @Test
    void badInputIsA400AndMakesNoCloudCall() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("swap", "{}");
        cases.put("swap ", "{\"target\":\"bad name!\"}");
        cases.put("swap  ", "{\"target\":\"" + "a".repeat(65) + "\"}");
        cases.put("swap   ", "{\"target\":42}");
        cases.put("swap    ", "{\"target\":\"demo-cache\",\"dryRun\":\"yes\"}");
        cases.put("swap     ", "{\"target\":\"demo-cache\",\"force\":1}");
        cases.put("swap      ", "{\"target\":\"demo-cache\",\"requestId\":\"has space\"}");
        cases.put("swap       ", "{\"target\":\"demo-cache\",\"reason\":\"" + "r".repeat(501) + "\"}");
        cases.put("swap        ", "not json");
        cases.put("swap         ", "[1,2]");
        cases.put("switch-vip", "{\"target\":\"demo-db\",\"mode\":\"sideways\"}");
        cases.put("failover", "{\"target\":\"demo-cache\"}");
        cases.forEach((function, body) -> post(function.trim(), body).then()
                .statusCode(400)
                .body("error_code", org.hamcrest.Matchers.startsWith("SG.4"))
                .body("error_msg", notNullValue()));
        assertEquals(0, cloud.calls().size(), "bad input reached the cloud");
    }

    @Test
    void unknownTargetIs404AndMakesNoCloudCall() {
        post("swap", "{\"target\":\"no-such-target\"}").then().statusCode(404)
                .body("error_code", equalTo("SG.4040"));
        assertEquals(0, cloud.calls().size());
    }

    @Test
    void oversizedBodyIsRefused() {
        String big = "{\"target\":\"demo-cache\",\"reason\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        post("swap", big).then().statusCode(400).body("error_code", equalTo("SG.4001"));
        assertEquals(0, cloud.calls().size());
    }

    @Test
    void anyTokenAfterTheJsonValueIsRefusedBeforeTheCloud() {
        for (String body : List.of("{\"target\":\"demo-cache\"}}", "{\"target\":\"demo-cache\"} trailing",
                "{\"target\":\"demo-cache\"}{\"target\":\"demo-cache\"}", "{\"target\":\"demo-cache\"} 1")) {
            post("swap", body).then().statusCode(400).body("error_code", equalTo("SG.4000"));
        }
        post("switch-vip", "{\"target\":\"demo-db\"}]").then().statusCode(400).body("error_code", equalTo("SG.4000"));
        assertEquals(0, cloud.calls().size(), cloud.calls().toString());
        // Trailing whitespace is no token.
        post("swap", "{\"target\":\"demo-cache\",\"dryRun\":true} \n").then().statusCode(200)
                .body("status", equalTo("DRY_RUN"));
    }

    @Test
    void actionsRejectsABadLimit() {
        api().get("/actions?limit=zero").then().statusCode(400).body("error_code", equalTo("SG.4000"));
        api().get("/actions?limit=5000").then().statusCode(400);
        api().get("/actions?target=nope").then().statusCode(404);
    }
}
