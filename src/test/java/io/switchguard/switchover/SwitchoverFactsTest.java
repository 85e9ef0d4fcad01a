package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.DB;
import static io.switchguard.sandbox.SandboxApi.SWITCH_VIP;
import static io.switchguard.sandbox.SandboxApi.DW;
import static io.switchguard.sandbox.SandboxApi.FAILOVER;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static io.switchguard.sandbox.SandboxApi.api;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.ActionStatus;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.SandboxFault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an answer means: a fact is recorded only once the cloud's state shows it, and each action ends once. */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class SwitchoverFactsTest extends SandboxSwitchoverTest {

    // ---- item 1: an answer that does not prove a refusal is UNKNOWN until the state is read ----

    @Test
    void aGateway502BehindWhichTheSwapHappenedEndsSucceededVerified() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        cloud.fault(CACHE, SandboxFault.GATEWAY_502_AFTER_EFFECT, 1);
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("VERIFIED"))
                .body("cloud.httpStatus", equalTo(502))
                .extract().path("actionId");
        assertNotEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE));
        assertEquals(1, calls("POST", SWAP));
        assertEquals(List.of("succeeded"), events("demo-cache", actionId));
    }

    @Test
    void a5xxWithTheRolesUnchangedEndsFailedWithTheCloudsCodeOnceTheStateWasRead() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        cloud.fault(CACHE, SandboxFault.DCS_5094, 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("FAILED"))
                .body("error_code", equalTo("DCS.5094"))
                .body("cloud.httpStatus", equalTo(500))
                .body("steps.name", hasItem("verify"));
        assertEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE));
        assertEquals(1, calls("POST", SWAP));
    }

    @Test
    void a4xxWithTheCloudsOwnErrorBodyStaysFailedAtOnce() {
        cloud.fault(CACHE, SandboxFault.DCS_4855, 1);
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("NONE"))
                .body("error_code", equalTo("DCS.4855"))
                .extract().path("actionId");
        assertEquals(List.of("failed"), events("demo-cache", actionId));
    }

    static final String DWS_SWITCHOVER = "/v2/" + io.switchguard.config.Targets.DEMO_PROJECT + "/disaster-recovery/"
            + io.switchguard.sandbox.SandboxApi.DW + "/switchover";

    @Test
    void aGateway502BehindWhichThePlannedDwsSwitchoverHappenedEndsSucceededNotFailed() {
        String primary = DwsSimulator.of(cloud).primaryCluster(DW);
        String standby = DwsSimulator.of(cloud).standbyCluster(DW);
        cloud.fault(DW, SandboxFault.GATEWAY_502_AFTER_EFFECT, 1);
        String actionId = post("switchover", "{\"target\":\"demo-dw\"}").then()
                .body("status", not(equalTo("FAILED")))
                .body("cloud.httpStatus", equalTo(502))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                api().get("/actions?target=demo-dw&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].status", equalTo("SUCCEEDED"))
                        .body("[0].verification", equalTo("VERIFIED")));
        assertEquals(standby, DwsSimulator.of(cloud).primaryCluster(DW));
        assertEquals(primary, DwsSimulator.of(cloud).standbyCluster(DW));
        assertEquals(1, calls("POST", DWS_SWITCHOVER));
        assertEquals("succeeded", events("demo-dw", actionId).get(events("demo-dw", actionId).size() - 1));
        assertEquals(false, events("demo-dw", actionId).contains("failed"));
    }

    @Test
    void a500OnThePlannedDwsSwitchoverWithTheRolesUnchangedEndsFailedOnceTheStateWasRead() {
        String primary = DwsSimulator.of(cloud).primaryCluster(DW);
        cloud.fault(DW, SandboxFault.HTTP_500, 1);
        String actionId = post("switchover", "{\"target\":\"demo-dw\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("FAILED"))
                .body("error_code", equalTo("SYS.0500"))
                .body("cloud.httpStatus", equalTo(500))
                .body("steps.name", hasItem("verify"))
                .extract().path("actionId");
        assertEquals(primary, DwsSimulator.of(cloud).primaryCluster(DW));
        assertEquals(1, calls("POST", DWS_SWITCHOVER));
        assertEquals(List.of("failed"), events("demo-dw", actionId));
    }

    @Test
    void a500OnASecondVipSwitchIsNotVerifiedByTheFirstSwitchsCompleteStatus() {
        // A first switch that completed: get-switch-vip-status says SWITCH_VIP_COMPLETE from here on.
        post("switch-vip", "{\"target\":\"demo-db\",\"mode\":\"target\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));
        assertEquals("target", DrsSimulator.of(cloud).vipSide(DB));
        // The second is refused by a 500 before it ran: the VIP stays where it is.
        cloud.fault(DB, SandboxFault.HTTP_500, 1);
        // Its status still the first switch's, through the whole wait: nothing changed, FAILED with the cloud's code.
        String actionId = post("switch-vip", "{\"target\":\"demo-db\",\"mode\":\"source\"}").then()
                .statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("FAILED"))
                .body("error_code", equalTo("SYS.0500"))
                .body("cloud.httpStatus", equalTo(500))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(15)).until(() -> store.find(actionId).orElseThrow().finished());
        assertNotEquals(ActionStatus.SUCCEEDED, store.find(actionId).orElseThrow().status(),
                store.find(actionId).orElseThrow().detail());
        assertEquals("target", DrsSimulator.of(cloud).vipSide(DB), "the VIP never moved back");
        assertEquals(false, events("demo-db", actionId).contains("succeeded"));
        assertEquals(2, calls("POST", SWITCH_VIP));
    }

    // ---- item 3: "succeeded" only once it is a fact; exactly one terminal event ----

    @Test
    void anAcceptedSwapThatDoesNotVerifyIsNeverCalledSucceeded() {
        cloud.fault(CACHE, SandboxFault.NO_EFFECT, 1);
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(202)
                .body("status", equalTo("SUBMITTED"))
                .body("verification", equalTo("PENDING"))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                api().get("/actions?target=demo-cache&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].status", equalTo("FAILED"))
                        .body("[0].verification", equalTo("FAILED"))
                        .body("[0].finishedAt", notNullValue()));
        assertEquals(List.of("submitted", "failed"), events("demo-cache", actionId));
    }

    @Test
    void aVerifiedSwapSendsOneSucceededEventAndNothingElse() {
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("verification", equalTo("VERIFIED"))
                .extract().path("actionId");
        assertEquals(List.of("succeeded"), events("demo-cache", actionId));
    }

    @Test
    void aFailoverIsSubmittedThenEndsWithOneTerminalEvent() {
        String actionId = post("failover", "{\"target\":\"demo-dw\"}").then().statusCode(202)
                .body("status", equalTo("SUBMITTED")).body("verification", equalTo("PENDING"))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(List.of("submitted", "succeeded"), events("demo-dw", actionId)));
        assertEquals(1, calls("POST", FAILOVER));
    }
}
