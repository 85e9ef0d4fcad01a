package io.switchguard.check;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
 * Failover budgets per group of targets (issue #16 part 3): group "payments" allows two automatic switchovers per
 * window; its third is refused and brakes the group only, while group "search" (and the fleet) still act. Only a
 * reset naming the group releases it; the fleet's reset does not.
 */
@QuarkusTest
@TestProfile(GroupBudgetTest.Profile.class)
class GroupBudgetTest {

    static final String KEY = "Bearer test-key-one-4c1a";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:group-budget;DB_CLOSE_DELAY=-1");
            m.put("switchguard.budget.max-automatic", "10");
            m.put("switchguard.budget.groups.payments.max-automatic", "2");
            m.put("switchguard.budget.groups.payments.window", "1h");
            m.put("switchguard.budget.groups.search.max-automatic", "2");
            for (String name : List.of("pay-1", "pay-2", "pay-3", "search-1")) {
                WatchedTargets.target(m, name, "dcs", "instance-id", "inst-" + name, DecisionSafetyTest.PROJECT,
                        "true");
                m.put("switchguard.targets." + name + ".group", name.startsWith("pay") ? "payments" : "search");
            }
            return m;
        }
    }

    @Inject SandboxLauncher sandbox;
    @Inject Checker checker;
    @Inject Targets targets;
    @Inject LeaseKeeper keeper;
    @Inject ControlJournal controls;

    static Response post(String function, String body) {
        return given().header("Authorization", KEY).contentType(ContentType.JSON).body(body).post("/" + function);
    }

    long swaps(CloudSimulator cloud, String target) {
        return cloud.count("POST", ".*" + Pattern.quote("/instances/inst-" + target + "/swap"));
    }

    Checker.Report check(String target) {
        return checker.check(targets.find(target).orElseThrow());
    }

    Checker.Report next(String target) throws InterruptedException {
        return WatchedTargets.next(() -> check(target));
    }

    Checker.Report breach(CloudSimulator cloud, String target) throws InterruptedException {
        cloud.dataPlaneFault("inst-" + target, DataPlaneFault.DOWN);
        Checker.Report warm = check(target);
        assertEquals("self-distrust", warm.decision().guard(), warm.decision().reason());
        return next(target);
    }

    @Test
    void theThirdAutomaticSwitchoverInAGroupIsRefusedWhileAnotherGroupActsAndOnlyTheGroupsResetReleasesIt()
            throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
        CloudSimulator cloud = sandbox.simulator();
        for (String t : List.of("pay-1", "pay-2")) {
            Checker.Report r = breach(cloud, t);
            assertEquals(Verdict.SWITCHOVER, r.decision().verdict(), r.decision().reason());
            assertEquals(1, swaps(cloud, t), t);
        }

        Checker.Report third = breach(cloud, "pay-3");
        assertEquals(Verdict.REJECTED, third.decision().verdict(), third.decision().reason());
        assertEquals("budget", third.decision().guard());
        assertTrue(third.decision().reason().contains("the failover budget of group 'payments' is spent: 2 automatic"
                + " switchovers within 1h (at most 2)"), third.decision().reason());
        assertEquals(0, swaps(cloud, "pay-3"));

        // Another group still acts: the brake is the group's, not the fleet's.
        Checker.Report other = breach(cloud, "search-1");
        assertEquals(Verdict.SWITCHOVER, other.decision().verdict(), other.decision().reason());
        assertEquals(1, swaps(cloud, "search-1"));
        given().header("Authorization", KEY).get("/status").then().statusCode(200)
                .body("budget.braked", equalTo(false))
                .body("budget.used", equalTo(3))
                .body("budget.groups.find { it.group == 'payments' }.braked", equalTo(true))
                .body("budget.groups.find { it.group == 'payments' }.used", equalTo(2))
                .body("budget.groups.find { it.group == 'search' }.braked", equalTo(false))
                .body("targets.find { it.target == 'pay-3' }.group", equalTo("payments"));

        // The fleet's reset is not the group's.
        post("budget/reset", "{\"reason\":\"fleet check\"}").then().statusCode(200);
        Checker.Report stillBraked = next("pay-3");
        assertEquals("budget", stillBraked.decision().guard(), stillBraked.decision().reason());
        assertTrue(stillBraked.decision().reason().contains("braked for group 'payments' since"),
                stillBraked.decision().reason());
        assertEquals(0, swaps(cloud, "pay-3"));

        post("budget/reset", "{\"group\":\"nope\",\"reason\":\"x\"}").then().statusCode(404)
                .body("error_msg", containsString("no budget group"));
        post("budget/reset", "{\"group\":\"payments\",\"reason\":\"payments storm understood\"}").then()
                .statusCode(200).body("group", equalTo("payments"));
        Checker.Report released = next("pay-3");
        assertEquals(Verdict.SWITCHOVER, released.decision().verdict(), released.decision().reason());
        assertEquals(1, swaps(cloud, "pay-3"));

        List<String> journaled = controls.list(null, 10).stream().map(c -> c.control() + " " + c.detail()).toList();
        assertEquals(List.of("budget-reset group payments: braked since", "budget-reset fleet-wide: was not braked",
                "budget-brake on pay-3 in group payments"), journaled.stream()
                .map(s -> s.replaceAll(" 20\\d\\d-.*", "")).toList());
        cloud.clearDataPlaneFaults();
    }
}
