package io.switchguard.check;

import static io.switchguard.sandbox.SandboxApi.api;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.config.Targets;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.SandboxCloudTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Decisions made on a wrong or stale view (issue #10): configured sandbox targets whose data plane is a closed port,
 * cycles driven by hand (the schedule is off in tests).
 */
@QuarkusTest
@TestProfile(DecisionSafetyTest.Configured.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DecisionSafetyTest extends SandboxCloudTest {

    static final String PROJECT = "0000000000000000000000000000safe";

    /** Targets of each case; the data plane of the caches is a port nothing listens on. */
    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:decision-safety;DB_CLOSE_DELAY=-1");
            String closed = "127.0.0.1:" + closedPort();
            target(m, "cache-breach", "dcs", "instance-id", "inst-cache-breach");
            m.put("switchguard.targets.cache-breach.auto", "true");
            m.put("switchguard.targets.cache-breach.cooldown", "1m");
            m.put("switchguard.targets.cache-breach.probe.tcp", closed);
            m.put("switchguard.targets.cache-breach.probe.interval", "1s");
            m.put("switchguard.targets.cache-breach.probe.timeout", "500ms");
            m.put("switchguard.targets.cache-breach.probe.failure-threshold", "2");
            target(m, "cache-buried", "dcs", "instance-id", "inst-cache-buried");
            m.put("switchguard.targets.cache-buried.auto", "true");
            m.put("switchguard.targets.cache-buried.cooldown", "1m");
            m.put("switchguard.targets.cache-buried.probe.tcp", closed);
            m.put("switchguard.targets.cache-buried.probe.interval", "1s");
            m.put("switchguard.targets.cache-buried.probe.timeout", "500ms");
            m.put("switchguard.targets.cache-buried.probe.failure-threshold", "2");
            target(m, "cache-burst", "dcs", "instance-id", "inst-cache-burst");
            m.put("switchguard.targets.cache-burst.probe.tcp", closed);
            m.put("switchguard.targets.cache-burst.probe.cloud", "false");
            m.put("switchguard.targets.cache-burst.probe.interval", "30s");
            m.put("switchguard.targets.cache-burst.probe.timeout", "500ms");
            m.put("switchguard.targets.cache-burst.probe.failure-threshold", "3");
            target(m, "dw-probed", "dws", "disaster-recovery-id", "dr-probed");
            m.put("switchguard.targets.dw-probed.max-data-loss", "5m");
            m.put("switchguard.targets.dw-probed.probe.interval", "5s");
            target(m, "dw-unprobed", "dws", "disaster-recovery-id", "dr-unprobed");
            m.put("switchguard.targets.dw-unprobed.max-data-loss", "5m");
            // CONTRACT §4: a drs target that is only switched by hand may leave the mode to the call.
            target(m, "db-nomode", "drs", "job-id", "job-nomode");
            return m;
        }

        static void target(Map<String, String> m, String name, String kind, String idKey, String id) {
            m.put("switchguard.targets." + name + ".kind", kind);
            m.put("switchguard.targets." + name + ".region", "sandbox-1");
            m.put("switchguard.targets." + name + ".project-id", PROJECT);
            m.put("switchguard.targets." + name + "." + idKey, id);
        }

        static int closedPort() {
            return io.switchguard.sandbox.WatchedTargets.closedPort();
        }
    }

    @Inject
    Checker checker;
    @Inject
    Targets targets;

    long calls(String method, String resource, String suffix) {
        return cloud.count(method, ".*" + Pattern.quote("/" + resource + suffix));
    }

    /** Item 2: the operator's swap during a breach starts the cooldown; the checker never swaps back. */
    @Test
    @Order(1)
    void aManualSwapDuringABreachIsNeverUndoneByAnAutomaticOne() throws Exception {
        var target = targets.find("cache-breach").orElseThrow();
        Checker.Report first = checker.check(target);
        assertEquals(Verdict.NONE, first.decision().verdict(), first.decision().reason());

        post("swap", "{\"target\":\"cache-breach\",\"reason\":\"operator saw it first\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));
        assertEquals(1, calls("POST", "instances/inst-cache-breach", "/swap"));

        // The probe keeps failing for a while (DNS, the cloud settling) and the cloud now says ERROR.
        DcsSimulator.of(cloud).setStatus("inst-cache-breach", "ERROR");
        for (int i = 0; i < 4; i++) {
            Thread.sleep(1000);
            Checker.Report r = checker.check(target);
            assertNotEquals(Verdict.SWITCHOVER, r.decision().verdict(), r.decision().reason());
        }
        assertEquals(1, calls("POST", "instances/inst-cache-breach", "/swap"), "no automatic swap back");
        api().get("/status?target=cache-breach").then().statusCode(200)
                .body("targets[0].lastDecision.guard", equalTo("cooldown"));
    }

    /**
     * The operator's swap holds the cooldown however many entries came after it: the checker read only the newest
     * five, and five dry runs (or refusals) after the swap hid it, so the breach swapped the roles back.
     */
    @Test
    @Order(6)
    void aManualSwapUnderNewerEntriesStillHoldsTheCooldown() throws Exception {
        var target = targets.find("cache-buried").orElseThrow();
        checker.check(target);
        post("swap", "{\"target\":\"cache-buried\",\"reason\":\"operator saw it first\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));
        for (int i = 0; i < 5; i++) {
            post("swap", "{\"target\":\"cache-buried\",\"dryRun\":true}").then().statusCode(200)
                    .body("status", equalTo("DRY_RUN"));
        }

        DcsSimulator.of(cloud).setStatus("inst-cache-buried", "ERROR");
        for (int i = 0; i < 4; i++) {
            Thread.sleep(1000);
            Checker.Report r = checker.check(target);
            assertNotEquals(Verdict.SWITCHOVER, r.decision().verdict(), r.decision().reason());
        }
        assertEquals(1, calls("POST", "instances/inst-cache-buried", "/swap"), "no automatic swap back");
    }

    /** Item 6: a burst of /check within one interval counts one probe; threshold 3 is never reached. */
    @Test
    @Order(2)
    void aBurstOfChecksWithinOneIntervalCountsOneProbe() {
        for (int i = 0; i < 6; i++) {
            post("check", "{}").then()
                    .statusCode(200);
        }
        api().get("/status?target=cache-burst").then().statusCode(200)
                .body("targets[0].healthy", equalTo(true))
                .body("targets[0].breachCount", equalTo(0))
                .body("targets[0].failureStreak", equalTo(1));
    }

    /** Item 3: the guard reads the DR now, not the checker's view of a few seconds ago. */
    @Test
    @Order(3)
    void theManualGuardReadsTheCurrentState() {
        var target = targets.find("dw-probed").orElseThrow();
        DwsSimulator.of(cloud).setSyncAge("dr-probed", Duration.ZERO);
        checker.check(target);
        // Within two intervals of that view, the DR falls an hour behind.
        DwsSimulator.of(cloud).setSyncAge("dr-probed", Duration.ofHours(1));
        post("failover", "{\"target\":\"dw-probed\"}").then().statusCode(409)
                .body("status", equalTo("REJECTED"))
                .body("error_msg", containsString("max-data-loss"));
        assertEquals(0, calls("POST", "disaster-recovery/dr-probed", "/failover"));
    }

    /** Item 3: max-data-loss holds for a target that has no probe section; force still bypasses it, journaled. */
    @Test
    @Order(4)
    void maxDataLossAppliesWithoutAProbeSectionAndForceBypassesIt() {
        DwsSimulator.of(cloud).setSyncAge("dr-unprobed", Duration.ofHours(1));
        post("failover", "{\"target\":\"dw-unprobed\"}").then().statusCode(409)
                .body("status", equalTo("REJECTED"))
                .body("error_code", equalTo("SG.4091"))
                .body("error_msg", containsString("max-data-loss"));
        assertEquals(0, calls("POST", "disaster-recovery/dr-unprobed", "/failover"));

        post("failover", "{\"target\":\"dw-unprobed\",\"force\":true,\"reason\":\"accepting the loss\"}").then()
                .statusCode(202).body("forced", equalTo(true));
        assertEquals(1, calls("POST", "disaster-recovery/dr-unprobed", "/failover"));
        DwsSimulator.of(cloud).setSyncAge("dr-unprobed", Duration.ZERO);
    }

    /** Item 9: a drs target without mode starts; a /switch-vip without mode is a 400 naming it. */
    @Test
    @Order(5)
    void aDrsTargetWithoutModeTakesItFromTheCall() {
        post("switch-vip", "{\"target\":\"db-nomode\"}").then().statusCode(400)
                .body("error_code", equalTo("SG.4000"))
                .body("error_msg", containsString("mode"));
        assertEquals(0, cloud.calls().size(), cloud.calls().toString());
        post("switch-vip", "{\"target\":\"db-nomode\",\"mode\":\"target\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));
        assertEquals("{\"mode\":\"target\"}", cloud.calls().stream()
                .filter(c -> c.path().endsWith("/switch-vip")).findFirst().orElseThrow().body());
        assertTrue(calls("POST", "jobs/job-nomode", "/switch-vip") == 1);
    }
}
