package io.switchguard.check;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchguard.action.Action;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import io.switchguard.policy.Verdict;
import io.switchguard.probe.HostPort;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import io.switchguard.switchover.SwitchoverService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Auto-failover end to end: real redis-server pairs as the data plane, the scheduler checking every second
 * with a threshold of 3, the sandbox cloud receiving the swap.
 */
@QuarkusTest
@WithTestResource(RedisPairs.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoFailoverTest {

    static final String KEY = "Bearer test-key-one-4c1a";

    @Inject
    Checkers checkers;
    @Inject
    SandboxLauncher sandbox;
    @Inject
    ActionStore journal;
    @Inject
    Targets targets;
    @Inject
    SwitchoverService switchover;
    @Inject
    SwitchguardConfig config;
    @Inject
    io.switchguard.probe.Net net;

    long swaps(String target) {
        return sandbox.simulator().count("POST",
                ".*" + Pattern.quote("/instances/" + RedisPairs.instanceId(target) + "/swap"));
    }

    List<Action> auto(String target) {
        return journal.list(target, 50).stream().filter(a -> a.trigger().equals("auto")).toList();
    }

    @Test
    @Order(1)
    void aDeadMasterIsSwappedExactlyOnceWithinTheDetectionBudget() {
        RedisPairs.PAIRS.get("cache-down")[0].stop();
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> swaps("cache-down") == 1);
        double seconds = (System.nanoTime() - killed) / 1e9;
        // (threshold + 1) x interval + 1 s
        assertTrue(seconds <= 5.0, "swap took " + seconds + " s");
        // The swap reached the cloud; "succeeded" is written only once verification confirms it (issue #11).
        await().atMost(Duration.ofSeconds(10)).until(() -> auto("cache-down").stream().allMatch(Action::finished));
        List<Action> actions = auto("cache-down");
        assertEquals("SUCCEEDED", actions.get(actions.size() - 1).status().name());
        assertTrue(actions.get(actions.size() - 1).reason().contains("standby"), actions.get(0).reason());

        // The primary stays dead from here: the cooldown holds, one swap only, and the refusal is journaled once.
        sleep(4000);
        assertEquals(1, swaps("cache-down"));
        List<Action> rejected = auto("cache-down").stream().filter(a -> a.status().name().equals("REJECTED")).toList();
        assertEquals(1, rejected.size(), rejected.toString());
        assertTrue(rejected.get(0).errorMsg().contains("cooldown"), rejected.get(0).errorMsg());
        given().header("Authorization", KEY).get("/status?target=cache-down").then().statusCode(200)
                .body("targets[0].healthy", equalTo(false))
                .body("targets[0].breachCount", equalTo(1))
                .body("targets[0].lastDecision.guard", equalTo("cooldown"));
    }

    @Test
    @Order(2)
    void aRestartInsideTheCooldownDoesNotActAgain() {
        // A fresh checker, as after a restart: only the store remembers the last action.
        Checker restarted = checkers.checker();
        for (int i = 0; i < 4; i++) {
            Checker.Report report = restarted.check(targets.find("cache-down").orElseThrow());
            assertTrue(report.decision().verdict() != Verdict.SWITCHOVER, report.decision().reason());
        }
        assertEquals(1, swaps("cache-down"));
    }

    @Test
    @Order(3)
    void aFlappingMasterNeverBreaches() throws Exception {
        HostPort master = RedisPairs.PAIRS.get("cache-flap")[0].address();
        long until = System.nanoTime() + Duration.ofSeconds(9).toNanos();
        // Unresponsive for 700 ms every 3 s: at most one probe in three fails.
        while (System.nanoTime() < until) {
            try (io.switchguard.probe.BlockingResp c = io.switchguard.probe.BlockingResp.connect(master, Duration.ofSeconds(1))) {
                c.call("CLIENT", "PAUSE", "700", "ALL");
            }
            sleep(3000);
        }
        assertEquals(0, swaps("cache-flap"));
        assertTrue(auto("cache-flap").isEmpty(), auto("cache-flap").toString());
        given().header("Authorization", KEY).get("/status?target=cache-flap").then()
                .body("targets[0].breachCount", equalTo(0));
    }

    @Test
    @Order(4)
    void aPausedTargetIsNotSwappedAndTheRefusalIsJournaled() {
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"cache-paused\",\"reason\":\"maintenance window\"}").post("/pause").then()
                .statusCode(200).body("paused[0]", equalTo("cache-paused"));
        RedisPairs.PAIRS.get("cache-paused")[0].stop();
        await().atMost(Duration.ofSeconds(8)).until(() -> !auto("cache-paused").isEmpty());
        sleep(2000);
        assertEquals(0, swaps("cache-paused"));
        List<Action> entries = auto("cache-paused");
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("REJECTED", entries.get(0).status().name());
        assertTrue(entries.get(0).errorMsg().contains("maintenance window"), entries.get(0).errorMsg());
        given().header("Authorization", KEY).get("/status?target=cache-paused").then()
                .body("targets[0].paused", equalTo(true))
                .body("targets[0].pauseReason", equalTo("maintenance window"))
                .body("targets[0].lastAction.status", equalTo("REJECTED"));
    }

    @Test
    @Order(5)
    void aStandbyTooLongWithoutItsMasterIsRefusedForDataLoss() {
        RedisPairs.PAIRS.get("cache-rpo")[0].stop();
        await().atMost(Duration.ofSeconds(8)).until(() -> !auto("cache-rpo").isEmpty());
        assertEquals(0, swaps("cache-rpo"));
        Action refused = auto("cache-rpo").get(0);
        assertEquals("REJECTED", refused.status().name());
        assertTrue(refused.detail().contains("data-loss"), refused.detail());
    }

    @Test
    @Order(6)
    void manualCallsAreNotHeldBackByPauseNorCooldown() {
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"cache-down\",\"force\":true,\"reason\":\"operator\"}").post("/swap").then()
                .statusCode(200).body("status", equalTo("SUCCEEDED")).body("forced", equalTo(true));
        assertEquals(2, swaps("cache-down"));
    }

    @Test
    @Order(7)
    void aManualSwapIsRefusedWhileTheStandbyIsUnreachable() {
        RedisPairs.PAIRS.get("cache-paused")[1].stop();
        // Let the checker take a fresh look (the guard uses a view younger than two intervals).
        sleep(2500);
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"cache-paused\"}").post("/swap").then()
                .statusCode(409).body("status", equalTo("REJECTED")).body("error_code", equalTo("SG.4091"))
                .body("error_msg", containsString("force"));
    }

    @Test
    @Order(8)
    void whenNothingAnswersNotEvenTheCloudNothingIsDone() {
        CloudSimulator cloud = sandbox.simulator();
        for (String t : RedisPairs.TARGETS) {
            for (var redis : RedisPairs.PAIRS.get(t)) {
                redis.stop();
            }
        }
        int port = java.net.URI.create(cloud.baseUrl()).getPort();
        cloud.stop();
        long before = journal.list(null, 1000).size();
        try {
            Checker checker = checkers.checker();
            for (int i = 0; i < 4; i++) {
                for (Checker.Report r : checker.cycle()) {
                    assertTrue(r.decision().verdict() != Verdict.SWITCHOVER, r.target() + ": " + r.decision().reason());
                }
            }
        } finally {
            cloud.start(port);
        }
        List<Action> since = journal.list(null, 1000);
        assertTrue(since.stream().limit(since.size() - before)
                .noneMatch(a -> a.status().name().matches("SUCCEEDED|FAILED|UNKNOWN|SUBMITTED")), since.toString());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
