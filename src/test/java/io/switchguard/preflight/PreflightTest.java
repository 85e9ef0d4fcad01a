package io.switchguard.preflight;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchguard.check.Checker;
import io.switchguard.check.ControlJournal;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.sandbox.WatchedTargets;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Continuous preflight (issue #16 part 1): it catches a credential revoked in the (simulated) cloud and a DRS job
 * that is not in incremental sync; each raises io.switchguard.target.unready, is journaled, shows in /status and
 * the metrics, holds back automatic action with its reason and a manual call without force; force still goes
 * through. The schedule is off in tests: preflights run when the test says.
 */
@QuarkusTest
@TestProfile(PreflightTest.Profile.class)
class PreflightTest {

    static final String KEY = "test-key-one-4c1a";
    static final String PROJECT = "0000000000000000000000000000pref";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = WatchedTargets.profile("preflight");
            target(m, "cache-key", "dcs", "instance-id", "inst-cache-key");
            target(m, "db-sync", "drs", "job-id", "job-db-sync");
            m.put("switchguard.targets.db-sync.mode", "source");
            return m;
        }

        static void target(Map<String, String> m, String name, String kind, String idKey, String id) {
            WatchedTargets.target(m, name, kind, idKey, id, PROJECT, "true");
        }
    }

    @Inject SandboxLauncher sandbox;
    @Inject Preflight preflight;
    @Inject Checker checker;
    @Inject Targets targets;
    @Inject LeaseKeeper keeper;
    @Inject OutboxStore outbox;
    @Inject ControlJournal controls;

    CloudSimulator cloud;

    @BeforeEach
    void leading() {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
        cloud = sandbox.simulator();
    }

    @AfterEach
    void clear() {
        cloud.clearDataPlaneFaults();
        cloud.restoreKey(null);
    }

    static Response post(String function, String body) {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body(body)
                .post("/" + function);
    }

    Target target(String name) {
        return targets.find(name).orElseThrow();
    }

    List<String> events(String target) {
        return outbox.forSubject(target).stream().map(OutboxEntry::type)
                .filter(t -> t.equals(Events.TARGET_UNREADY) || t.equals(Events.TARGET_READY)).toList();
    }

    List<String> controls(String target) {
        return controls.list(target, 20).stream().map(ControlJournal.Control::control).toList();
    }

    long calls(String suffix) {
        return cloud.count("POST", ".*" + Pattern.quote(suffix));
    }

    /** The fault on, the first view warms the replica up, the next counted one (an interval later) decides. */
    Checker.Report breach(String name, String resource) throws InterruptedException {
        cloud.dataPlaneFault(resource, DataPlaneFault.DOWN);
        checker.check(target(name));
        return WatchedTargets.next(() -> checker.check(target(name)));
    }

    @Test
    void aRevokedCredentialIsCaughtBlocksAutomaticActionAndOnlyForceGoesThrough() throws Exception {
        Readiness ready = preflight.run(target("cache-key"));
        assertTrue(ready.ready(), ready.reason());
        assertEquals(List.of(), events("cache-key"), "a first pass is no news");

        post("sandbox/credentials/revoke", "{}").then().statusCode(200);
        Readiness revoked = preflight.run(target("cache-key"));
        assertFalse(revoked.ready());
        assertTrue(revoked.reason().contains("credentials: the cloud refused the credentials on a signed read of DCS"
                + " instance inst-cache-key (HTTP 401"), revoked.reason());
        assertEquals(List.of(Events.TARGET_UNREADY), events("cache-key"));
        assertEquals(List.of("preflight-unready"), controls("cache-key"));
        given().header("Authorization", "Bearer " + KEY).get("/status?target=cache-key").then().statusCode(200)
                .body("targets[0].preflight.ready", equalTo(false))
                .body("targets[0].preflight.checks.find { it.name == 'credentials' }.ok", equalTo(false));
        assertTrue(given().header("Authorization", "Bearer " + KEY).get("/q/metrics").asString()
                .contains("switchguard_preflight_ready{target=\"cache-key\"} 0.0"));

        // A manual call on an unready target needs force; with force it goes out (and the cloud refuses the key).
        long before = calls("/instances/inst-cache-key/swap");
        post("swap", "{\"target\":\"cache-key\",\"reason\":\"try\"}").then().statusCode(409)
                .body("error_msg", containsString("send force to override"))
                .body("error_msg", containsString("preflight at"));
        assertEquals(before, calls("/instances/inst-cache-key/swap"), "nothing sent without force");
        post("swap", "{\"target\":\"cache-key\",\"reason\":\"forced\",\"force\":true}").then().statusCode(502);
        assertEquals(before + 1, calls("/instances/inst-cache-key/swap"), "force is not held back by preflight");

        // The key comes back, but until the next preflight the last one holds: the breach is not acted on.
        post("sandbox/credentials/restore", "{}").then().statusCode(200);
        Checker.Report blocked = breach("cache-key", "inst-cache-key");
        assertEquals(Verdict.REJECTED, blocked.decision().verdict(), blocked.decision().reason());
        assertEquals("preflight", blocked.decision().guard());
        assertTrue(blocked.decision().reason().contains("the cloud refused the credentials"),
                blocked.decision().reason());
        assertEquals(before + 1, calls("/instances/inst-cache-key/swap"), "no automatic swap");

        // A failed preflight is due again after the retry period, not after the whole interval; a passed one is not.
        assertTrue(preflight.due(target("cache-key"), Duration.ofHours(1), Duration.ZERO));
        assertFalse(preflight.due(target("cache-key"), Duration.ZERO, Duration.ofHours(1)));
        Readiness again = preflight.run(target("cache-key"));
        assertTrue(again.ready(), again.reason());
        assertFalse(preflight.due(target("cache-key"), Duration.ofHours(1), Duration.ZERO));
        assertTrue(preflight.due(target("cache-key"), Duration.ZERO, Duration.ofHours(1)));
        assertEquals(List.of(Events.TARGET_UNREADY, Events.TARGET_READY), events("cache-key"));
        assertEquals(List.of("preflight-ready", "preflight-unready"), controls("cache-key"));
    }

    @Test
    void aDrsJobOutOfIncrementalSyncIsNotSwitchableAndForceStillSwitches() throws Exception {
        io.switchguard.kinds.drs.DrsSimulator.of(cloud).setJobStatus("job-db-sync", "FULL_TRANSFER_STARTED");
        Readiness notSwitchable = preflight.run(target("db-sync"));
        assertFalse(notSwitchable.ready());
        assertTrue(notSwitchable.reason().contains("switchable: DRS job job-db-sync is FULL_TRANSFER_STARTED, not in"
                + " incremental sync"), notSwitchable.reason());
        assertTrue(notSwitchable.checks().stream().filter(c -> !c.name().equals("switchable"))
                .allMatch(Readiness.Check::ok), notSwitchable.checks().toString());
        assertEquals(List.of(Events.TARGET_UNREADY), events("db-sync"));
        OutboxEntry unready = outbox.forSubject("db-sync").stream().filter(e -> e.type().equals(Events.TARGET_UNREADY))
                .findFirst().orElseThrow();
        assertTrue(unready.data().contains("FULL_TRANSFER_STARTED"), unready.data());

        // Incremental sync again, then it breaks before the next preflight: the last preflight still holds it back.
        io.switchguard.kinds.drs.DrsSimulator.of(cloud).setJobStatus("job-db-sync", "INCRE_TRANSFER_STARTED");
        Checker.Report blocked = breach("db-sync", "job-db-sync");
        assertEquals(Verdict.REJECTED, blocked.decision().verdict(), blocked.decision().reason());
        assertEquals("preflight", blocked.decision().guard());
        assertTrue(blocked.decision().reason().contains("not in incremental sync"), blocked.decision().reason());
        assertEquals(0, calls("/jobs/job-db-sync/switch-vip"));

        post("switch-vip", "{\"target\":\"db-sync\",\"reason\":\"operator\"}").then().statusCode(409)
                .body("error_msg", containsString("send force to override"));
        assertEquals(0, calls("/jobs/job-db-sync/switch-vip"));
        post("switch-vip", "{\"target\":\"db-sync\",\"reason\":\"operator knows\",\"force\":true}").then()
                .statusCode(200).body("status", equalTo("SUCCEEDED"));
        assertEquals(1, calls("/jobs/job-db-sync/switch-vip"));
    }
}
