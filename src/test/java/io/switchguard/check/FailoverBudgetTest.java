package io.switchguard.check;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchguard.config.Targets;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.sandbox.WatchedTargets;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fleet-wide failover budget (issue #16 part 3): three automatic switchovers per window across all targets;
 * the fourth, on another target, is refused and brakes all automatic action, past the window too, until an
 * operator's reset. Manual calls go through meanwhile.
 */
@QuarkusTest
@TestProfile(FailoverBudgetTest.Profile.class)
class FailoverBudgetTest {

    static final String KEY = "Bearer test-key-one-4c1a";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:failover-budget;DB_CLOSE_DELAY=-1");
            m.put("switchguard.budget.max-automatic", "3");
            m.put("switchguard.budget.window", "10s");
            for (int i = 1; i <= 4; i++) {
                String name = "cache-b" + i;
                WatchedTargets.target(m, name, "dcs", "instance-id", "inst-" + name, DecisionSafetyTest.PROJECT,
                        "true");
            }
            DecisionSafetyTest.Configured.target(m, "cache-manual", "dcs", "instance-id", "inst-cache-manual");
            return m;
        }
    }

    @Inject
    SandboxLauncher sandbox;
    @Inject
    Checker checker;
    @Inject
    Targets targets;
    @Inject
    LeaseKeeper keeper;
    @Inject
    ControlJournal controls;

    static Response post(String function, String body) {
        return given().header("Authorization", KEY).contentType(ContentType.JSON).body(body).post("/" + function);
    }

    long swaps(CloudSimulator cloud, String target) {
        return cloud.count("POST", ".*" + Pattern.quote("/instances/inst-" + target + "/swap"));
    }

    Checker.Report check(String target) {
        return checker.check(targets.find(target).orElseThrow());
    }

    /** The replica's first view of a target only warms it up (self-distrust): no action, nothing counted. */
    Checker.Report warmThenCheck(CloudSimulator cloud, String target) throws InterruptedException {
        cloud.dataPlaneFault("inst-" + target, DataPlaneFault.DOWN);
        Checker.Report warm = check(target);
        assertEquals("self-distrust", warm.decision().guard(), warm.decision().reason());
        return WatchedTargets.next(() -> check(target));
    }

    @Test
    void theFourthAutomaticSwitchoverAcrossTargetsIsRefusedAndOnlyAResetReleasesTheBrake() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
        CloudSimulator cloud = sandbox.simulator();
        for (String t : List.of("cache-b1", "cache-b2", "cache-b3")) {
            Checker.Report r = warmThenCheck(cloud, t);
            assertEquals(Verdict.SWITCHOVER, r.decision().verdict(), r.decision().reason());
            assertEquals(1, swaps(cloud, t), t);
        }

        Checker.Report fourth = warmThenCheck(cloud, "cache-b4");
        assertEquals(Verdict.REJECTED, fourth.decision().verdict(), fourth.decision().reason());
        assertEquals("budget", fourth.decision().guard());
        assertTrue(fourth.decision().reason().contains("the fleet-wide failover budget is spent: 3 automatic"
                + " switchovers within 10s (at most 3)"), fourth.decision().reason());
        assertEquals(0, swaps(cloud, "cache-b4"));
        given().header("Authorization", KEY).get("/status").then().statusCode(200)
                .body("budget.braked", equalTo(true))
                .body("budget.used", equalTo(3))
                .body("budget.brakedBecause", containsString("budget is spent"));

        // Manual calls are never braked.
        post("swap", "{\"target\":\"cache-manual\",\"reason\":\"operator\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));

        // The window passes, checked every interval (a longer gap would be the checker running late): nothing is
        // counted any more, and the brake still holds.
        Checker.Report braked = null;
        for (int i = 0; i < 11; i++) {
            Thread.sleep(1000);
            braked = check("cache-b4");
            // The first may find the checker late: the manual swap above took longer than 2 x 1s + 300ms.
            assertTrue(List.of("budget", "self-distrust").contains(braked.decision().guard()),
                    braked.decision().reason());
            assertEquals(i == 0 ? braked.decision().guard() : "budget", braked.decision().guard(),
                    braked.decision().reason());
        }
        given().header("Authorization", KEY).get("/status").then().body("budget.used", equalTo(0));
        assertTrue(braked.decision().reason().contains("braked fleet-wide since"), braked.decision().reason());
        assertEquals(0, swaps(cloud, "cache-b4"));

        // Only an operator, with a key and a reason, releases it.
        post("budget/reset", "{}").then().statusCode(400).body("error_msg", containsString("reason"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"x\"}").post("/budget/reset").then().statusCode(401);
        post("budget/reset", "{\"reason\":\"storm understood: region network incident\"}").then().statusCode(200)
                .body("brakedSince", notNullValue());
        Checker.Report released = WatchedTargets.next(() -> check("cache-b4"));
        assertEquals(Verdict.SWITCHOVER, released.decision().verdict(), released.decision().reason());
        assertEquals(1, swaps(cloud, "cache-b4"));

        List<String> journaled = controls.list(null, 10).stream().map(c -> c.control() + " " + c.by()).toList();
        assertEquals(List.of("budget-reset " + PauseOwnerExpiryTest.label(), "budget-brake switchguard"), journaled);
        cloud.clearDataPlaneFaults();
    }
}
