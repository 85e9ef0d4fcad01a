package io.switchguard.function;

import static io.switchguard.sandbox.SandboxApi.DW;
import static io.switchguard.sandbox.SandboxApi.FAILOVER;
import static io.switchguard.sandbox.SandboxApi.api;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.config.Targets;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxCloudTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: POST /switchover, a dws target's planned DR switchover, end to end against the sandbox. Its own
 * call (never the exception failover), its own success rule (200 = submitted) and its own verification (roles
 * traded both ways, DR running again).
 */
@QuarkusTest
class DwsPlannedSwitchoverTest extends SandboxCloudTest {

    static final String SWITCHOVER = "/v2/" + Targets.DEMO_PROJECT + "/disaster-recovery/" + DW + "/switchover";

    @BeforeEach
    void setUp() {
        cloud.clearDataPlaneFaults();
    }

    @AfterEach
    void tearDown() {
        cloud.clearDataPlaneFaults();
    }

    @Test
    void plannedSwitchoverIsSubmittedThenVerifiedWhenRolesTradedAndTheDrRuns() {
        String primary = DwsSimulator.of(cloud).primaryCluster(DW);
        String standby = DwsSimulator.of(cloud).standbyCluster(DW);
        String actionId = post("switchover", "{\"target\":\"demo-dw\",\"reason\":\"drill\"}").then()
                .statusCode(202)
                .body("status", equalTo("SUBMITTED"))
                .body("action", equalTo("switchover"))
                .body("kind", equalTo("dws"))
                .body("cloud.httpStatus", equalTo(200))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                api().get("/actions?target=demo-dw&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].action", equalTo("switchover"))
                        .body("[0].status", equalTo("SUCCEEDED"))
                        .body("[0].verification", equalTo("VERIFIED"))
                        .body("[0].detail", containsString(standby + "/" + primary))
                        .body("[0].finishedAt", notNullValue()));
        assertEquals(standby, DwsSimulator.of(cloud).primaryCluster(DW));
        assertEquals(primary, DwsSimulator.of(cloud).standbyCluster(DW));
        assertEquals(1, calls("POST", SWITCHOVER));
        assertEquals(0, calls("POST", FAILOVER), "the planned switchover never calls the exception failover");
    }

    @Test
    void theCloudRefusingAnUnhealthyDrIsFailedWithItsCodeAndNothingMoves() {
        String primary = DwsSimulator.of(cloud).primaryCluster(DW);
        cloud.dataPlaneFault(DW, DataPlaneFault.DOWN);
        // force: past switchguard's own guards, so the cloud's refusal is what is tested.
        post("switchover", "{\"target\":\"demo-dw\",\"force\":true}").then()
                .statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("action", equalTo("switchover"))
                .body("error_code", equalTo("DWS.10103"));
        assertEquals(primary, DwsSimulator.of(cloud).primaryCluster(DW));
        assertEquals(1, calls("POST", SWITCHOVER));
    }

    @Test
    void switchoverIsOnlyForDwsTargets() {
        post("switchover", "{\"target\":\"demo-cache\"}").then()
                .statusCode(400)
                .body("error_msg", containsString("use /swap"));
        assertEquals(0, cloud.calls().stream().filter(c -> c.method().equals("POST")).count());
    }
}
