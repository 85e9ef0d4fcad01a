package io.switchguard.drill;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.switchguard.action.Action;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiKeys;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import io.switchguard.store.Jdbc;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drills end to end against the simulator: what the cloud received, the roles after, the report, the events. */
@QuarkusTest
@TestProfile(DrillTestProfile.class)
class DrillTest {

    static final String KEY = "test-key-one-4c1a";
    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final String SWAP = "/v2/" + Targets.DEMO_PROJECT + "/instances/" + CACHE + "/swap";

    @Inject
    SandboxLauncher sandbox;
    @Inject
    ActionStore actions;
    @Inject
    OutboxStore outbox;
    @Inject
    DrillStore drills;
    @Inject
    io.switchguard.check.StateStore states;
    @Inject
    io.switchguard.switchover.SwitchoverService switchover;
    @Inject
    io.switchguard.store.LeaseKeeper keeper;

    @Inject
    ApiKeys keys;
    @Inject
    DataSource dataSource;

    CloudSimulator cloud;

    @BeforeEach
    void setUp() {
        cloud = sandbox.simulator();
        cloud.clearFaults();
        cloud.clearDataPlaneFaults();
        cloud.resetCalls();
    }

    @AfterEach
    void tearDown() {
        cloud.clearDataPlaneFaults();
        DrsSimulator.of(cloud).setSwitchTime(Duration.ofMillis(300));
        DwsSimulator.of(cloud).setFailoverTime(Duration.ofSeconds(1));
        api().body("{\"target\":\"demo-cache\"}").post("/resume").then().statusCode(200);
        await().atMost(Duration.ofSeconds(40)).until(() -> drills.list(null, 50).stream()
                .allMatch(d -> d.state().finished()));
        await().atMost(Duration.ofSeconds(15)).until(() -> actions.list(null, 20).stream().allMatch(Action::finished));
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    long swaps() {
        return cloud.count("POST", Pattern.quote(SWAP));
    }

    JsonPath report(String id) {
        return api().get("/drill-report?id=" + id).then().statusCode(200).extract().jsonPath();
    }

    JsonPath awaitOutcome(String id) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> !"RUNNING".equals(report(id).getString("state")));
        return report(id);
    }

    List<String> eventTypes(String id) {
        return outbox.forSubject("demo-cache").stream().filter(e -> e.data().contains("\"" + id + "\""))
                .map(OutboxEntry::type).distinct().toList();
    }

    static long millis(String from, String to) {
        return Duration.between(Instant.parse(from), Instant.parse(to)).toMillis();
    }

    @Test
    void aDrillOnDemoCacheSwitchesAwayHoldsSwitchesBackAndReportsRto() {
        String master = DcsSimulator.of(cloud).masterNode(CACHE);
        String id = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\",\"reason\":\"quarterly practice\"}")
                .post("/drill").then().statusCode(200).body("state", equalTo("RUNNING")).extract().path("id");
        JsonPath r = awaitOutcome(id);
        assertEquals("SUCCEEDED", r.getString("state"), r.prettify());
        assertEquals(2, swaps(), "one swap away, one back");
        assertEquals(master, DcsSimulator.of(cloud).masterNode(CACHE), "the roles are back");

        // RTO per direction is the journal's: call step to verified end.
        for (String leg : List.of("away", "back")) {
            Action a = actions.find(r.getString(leg + ".actionId")).orElseThrow();
            assertEquals("drill", a.trigger());
            assertEquals("VERIFIED", r.getString(leg + ".verification"));
            Instant called = a.steps().stream().filter(s -> s.name().equals("call")).findFirst().orElseThrow().at();
            assertEquals(Duration.between(called, a.finishedAt()).toMillis(), r.getLong(leg + ".rtoMillis"));
            assertTrue(r.getInt(leg + ".unavailability.probes") > 0, leg + ": the data plane was probed");
        }
        assertEquals(List.of("dry-run", "paused", "incident", "open-action", "latest-observation", "standby",
                "healthy-now"), r.getList("guards.name"));
        assertTrue(r.getList("guards.passed", Boolean.class).stream().allMatch(p -> p));
        assertNotNull(r.get("rpo.lagBytes"), "the standby's byte lag at the switch: " + r.get("rpo"));
        List<String> steps = r.getList("timeline.name");
        for (String step : List.of("started", "switch.away", "switch.away.done", "hold", "hold.passed", "switch.back",
                "switch.back.done", "outcome")) {
            assertTrue(steps.contains(step), step + " in " + steps);
        }
        assertTrue(millis(r.getString("startedAt"), r.getString("finishedAt")) >= 2000, "the hold was kept");
        assertEquals(List.of("io.switchguard.drill.started", "io.switchguard.drill.completed"), eventTypes(id));
        api().get("/drills?target=demo-cache").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));

        // The page a person attaches to an audit: the same figures, a timeline chart.
        String html = api().get("/drill-report.html?id=" + id).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/html")).extract().asString();
        assertTrue(html.contains("<svg") && html.contains("SUCCEEDED"), html);
        assertTrue(html.contains(r.getLong("away.rtoMillis") + " ms") && html.contains(r.getLong("back.rtoMillis")
                + " ms"), "both RTOs on the page");
        given().get("/drill-report.html?id=" + id).then().statusCode(401);
        api().get("/drill-report.html?id=no-such").then().statusCode(404);
    }

    /**
     * A drill whose replica died mid-run (kill -9 during the hold) is not left RUNNING for good: once its runner
     * has not been heard of for stale-claim, the leader ends it FAILED, saying from the journal how far it got, and
     * sends its terminal event. Nothing is sent to the cloud on its behalf: the roles are for a person to judge.
     */
    @Test
    void aDrillWhoseRunnerDiedIsEndedFailedByTheLeaderSayingHowFarItGot() {
        String id = "drl-dead-" + UUID.randomUUID();
        String master = DcsSimulator.of(cloud).masterNode(CACHE);
        // What the dead replica got done: the switch away, journaled under the leg's key and verified.
        String away = api().body("{\"target\":\"demo-cache\",\"requestId\":\"" + id + "-away\"}").post("/swap")
                .then().statusCode(200).body("status", equalTo("SUCCEEDED")).extract().path("actionId");
        Instant started = Instant.now().minus(Duration.ofHours(2));
        drills.insert(new DrillReport(id, "demo-cache", "dcs", DrillReport.State.RUNNING, "practice", 600_000, null,
                started, null, null, null, List.of(), List.of(new DrillReport.Step(started, "started", "hold 600s"),
                        new DrillReport.Step(started, "switch.away", "swap")), null, null, null), "dead-replica");
        OffsetDateTime then = started.atOffset(ZoneOffset.UTC);
        Jdbc.inTransaction(dataSource, "as the dead replica left it", c -> Jdbc.update(c,
                "UPDATE drills SET started_at = ?, touched_at = ? WHERE drill_id = ?", then, then, id));

        await().atMost(Duration.ofSeconds(20)).until(() -> drills.find(id).orElseThrow().state().finished());
        DrillReport r = drills.find(id).orElseThrow();
        assertEquals(DrillReport.State.FAILED, r.state(), r.detail());
        assertTrue(r.detail().contains("dead-replica") && r.detail().contains(away)
                && r.detail().contains("no switch back was sent"), r.detail());
        assertEquals("abandoned", r.timeline().get(r.timeline().size() - 2).name(), r.timeline().toString());
        assertEquals(List.of("io.switchguard.drill.failed"), eventTypes(id), "its one terminal event");
        assertEquals(1, swaps(), "only the dead replica's switch away: nothing sent on its behalf");
        assertNotEquals(master, DcsSimulator.of(cloud).masterNode(CACHE), "left as the switch away left it");
    }

    /** A live drill's runner says so while it holds, so a long hold is never taken for a dead one. */
    @Test
    void aRunningDrillIsTouchedWhileItHolds() {
        String id = api().body("{\"target\":\"demo-cache\",\"hold\":\"12s\"}").post("/drill").then().statusCode(200)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> touched(id) != null);
        Instant first = touched(id);
        // The liveness tick runs every 5 s, so one falls in any 5 s window; the hold's own writes are done by then.
        await().atMost(Duration.ofSeconds(8)).until(() -> touched(id).isAfter(first.plusSeconds(3)));
        assertEquals("RUNNING", report(id).getString("state"), "touched while holding, not by its last write");
        assertEquals("SUCCEEDED", awaitOutcome(id).getString("state"));
    }

    Instant touched(String id) {
        return Jdbc.inTransaction(dataSource, "touched", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT touched_at FROM drills WHERE drill_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Jdbc.getInstant(rs, "touched_at") : null;
                }
            }
        });
    }

    /** The report names the key that started the drill, and both switches are journaled on its behalf. */
    @Test
    void aDrillNamesWhoStartedItAndBothSwitchesAreJournaledOnTheirBehalf() {
        String label = keys.label(KEY);
        String id = api().body("{\"target\":\"demo-cache\",\"hold\":\"1s\",\"reason\":\"who asked\"}").post("/drill")
                .then().statusCode(200).body("startedBy", equalTo(label)).extract().path("id");
        JsonPath r = awaitOutcome(id);
        assertEquals("SUCCEEDED", r.getString("state"), r.prettify());
        assertEquals(label, r.getString("startedBy"), "kept with the report");
        assertTrue(api().get("/drill-report.html?id=" + id).then().statusCode(200).extract().asString()
                .contains("by " + label), "the page an audit keeps names them too");
        for (String leg : List.of("away", "back")) {
            String accepted = actions.find(r.getString(leg + ".actionId")).orElseThrow().steps().get(0).detail();
            assertTrue(accepted.contains("by " + label), leg + ": " + accepted);
        }
    }

    @Test
    void aDrillOnDemoDbMovesTheVipToTheDrSideAndBackWithTheSimulatedSwitchTimeAsRto() {
        String job = "8c81a12f-2581-4424-a3ab-70ed874jb201";
        DrsSimulator.of(cloud).setSwitchTime(Duration.ofMillis(1500));
        String id = api().body("{\"target\":\"demo-db\",\"hold\":\"1s\"}").post("/drill").then().statusCode(200)
                .extract().path("id");
        JsonPath r = awaitOutcome(id);
        assertEquals("SUCCEEDED", r.getString("state"), r.prettify());
        assertEquals(2, cloud.count("POST", Pattern.quote("/v3/" + Targets.DEMO_PROJECT + "/jobs/" + job
                + "/switch-vip")));
        assertEquals("target", r.getString("away.mode"));
        assertEquals("source", r.getString("back.mode"));
        assertEquals("source", DrsSimulator.of(cloud).vipSide(job), "the VIP is back on the source");
        for (String leg : List.of("away", "back")) {
            long rto = r.getLong(leg + ".rtoMillis");
            assertTrue(rto >= 1500 && rto < 6000, leg + " RTO " + rto + " ms for a 1.5 s simulated switch");
        }
        assertNotNull(r.get("rpo.lagMillis"), "DRS replication delay at the switch: " + r.get("rpo"));
    }

    @Test
    void aDrillOnDemoDwRunsThePlannedSwitchoverBothWaysNeverTheFailover() {
        String dr = "e59d6b86-9072-46eb-a996-13f8b44994c1";
        String primary = DwsSimulator.of(cloud).primaryCluster(dr);
        DwsSimulator.of(cloud).setFailoverTime(Duration.ofMillis(1200));
        String id = api().body("{\"target\":\"demo-dw\",\"hold\":\"1s\"}").post("/drill").then().statusCode(200)
                .extract().path("id");
        JsonPath r = awaitOutcome(id);
        assertEquals("SUCCEEDED", r.getString("state"), r.prettify());
        String base = "/v2/" + Targets.DEMO_PROJECT + "/disaster-recovery/" + dr;
        assertEquals(2, cloud.count("POST", Pattern.quote(base + "/switchover")));
        assertEquals(0, cloud.count("POST", Pattern.quote(base + "/failover")));
        assertEquals(primary, DwsSimulator.of(cloud).primaryCluster(dr), "the roles are back");
        for (String leg : List.of("away", "back")) {
            long rto = r.getLong(leg + ".rtoMillis");
            assertTrue(rto >= 1200 && rto < 8000, leg + " RTO " + rto + " ms for a 1.2 s simulated switchover");
        }
    }

    @Test
    void aDrillOnDemoCacheV1SwapsThroughTheV1ApiAwayAndBack() {
        String v1 = "7f1c2a90-4b6e-4d0a-9c55-3e8b1d2f6a41";
        String master = DcsSimulator.of(cloud).masterNode(v1);
        String id = api().body("{\"target\":\"demo-cache-v1\",\"hold\":\"1s\"}").post("/drill").then()
                .statusCode(200).extract().path("id");
        JsonPath r = awaitOutcome(id);
        assertEquals("SUCCEEDED", r.getString("state"), r.prettify());
        assertEquals(2, cloud.count("PUT", Pattern.quote("/v1.0/" + Targets.DEMO_PROJECT + "/instances/" + v1
                + "/swap")));
        assertEquals(master, DcsSimulator.of(cloud).masterNode(v1));
    }

    @Test
    void aDrillIsBlockedWhilePausedAndNothingIsSent() {
        api().body("{\"target\":\"demo-cache\",\"reason\":\"maintenance\"}").post("/pause").then().statusCode(200);
        JsonPath r = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\"}").post("/drill").then().statusCode(409)
                .body("error_code", equalTo("SG.4095")).body("state", equalTo("BLOCKED")).extract().jsonPath();
        assertEquals(false, r.getBoolean("guards.find { it.name == 'paused' }.passed"));
        assertEquals(0, swaps());
        assertTrue(eventTypes(r.getString("id")).contains("io.switchguard.drill.blocked"));
        assertEquals("BLOCKED", report(r.getString("id")).getString("state"), "kept in the store");
    }

    @Test
    void aDrillIsBlockedWhenTheStandbyIsBehindAndNothingIsSent() {
        cloud.dataPlaneFault(CACHE, DataPlaneFault.LAG);
        JsonPath r = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\"}").post("/drill").then().statusCode(409)
                .body("state", equalTo("BLOCKED")).extract().jsonPath();
        assertEquals(false, r.getBoolean("guards.find { it.name == 'standby' }.passed"), r.prettify());
        assertEquals(true, r.getBoolean("guards.find { it.name == 'paused' }.passed"));
        assertEquals(0, swaps());
    }

    @Test
    void aDrillIsBlockedWhileAnotherSwitchoverHoldsTheTarget() {
        assertTrue(actions.tryLock("demo-cache", "someone-else", Duration.ofSeconds(30)));
        try {
            JsonPath r = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\"}").post("/drill").then()
                    .statusCode(409).body("state", equalTo("BLOCKED")).extract().jsonPath();
            assertEquals(false, r.getBoolean("guards.find { it.name == 'open-action' }.passed"), r.prettify());
        } finally {
            actions.unlock("demo-cache", "someone-else");
        }
        assertEquals(0, swaps());
    }

    @Test
    void aDrillIsRefusedWhileARealIncidentIsOpen() {
        io.switchguard.check.StateStore.Saved saved = states.load("demo-cache").orElse(
                new io.switchguard.check.StateStore.Saved(io.switchguard.policy.TargetState.initial(), null, null));
        states.save("demo-cache", new io.switchguard.check.StateStore.Saved(saved.state().withHealthy(false, 1),
                saved.lastProbeAt(), saved.lastDecision()));
        try {
            JsonPath r = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\"}").post("/drill").then()
                    .statusCode(409).body("state", equalTo("BLOCKED")).extract().jsonPath();
            assertEquals(false, r.getBoolean("guards.find { it.name == 'incident' }.passed"), r.prettify());
        } finally {
            states.save("demo-cache", saved);
        }
        assertEquals(0, swaps());
    }

    @Test
    void aDrillIsBlockedWhenThePrimaryIsDownNow() {
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        JsonPath r = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\"}").post("/drill").then()
                .statusCode(409).body("state", equalTo("BLOCKED")).extract().jsonPath();
        assertEquals(false, r.getBoolean("guards.find { it.name == 'healthy-now' }.passed"), r.prettify());
        assertEquals(0, swaps());
    }

    @Test
    void aDrillIsBlockedWhenItsCheckUrlDoesNotAnswer2xx() {
        // Port 9 (discard) is closed on test machines.
        JsonPath r = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\",\"checkUrl\":\"http://127.0.0.1:9/ready\"}")
                .post("/drill").then().statusCode(409).body("state", equalTo("BLOCKED")).extract().jsonPath();
        assertEquals(false, r.getBoolean("guards.find { it.name == 'check-url' }.passed"));
        assertEquals(0, swaps());
    }

    @Test
    void aSwitchAwayTheCloudAcceptedButNobodyCouldVerifyIsNotReportedAsNothingChanged() {
        String master = DcsSimulator.of(cloud).masterNode(CACHE);
        // The shard query answers 404 (no status API here): the swap is accepted and happens, unverifiable.
        cloud.fault(CACHE, io.switchguard.sandbox.SandboxFault.STATUS_404, 1000);
        String id = api().body("{\"target\":\"demo-cache\",\"hold\":\"2s\"}").post("/drill").then()
                .statusCode(200).extract().path("id");
        JsonPath r = awaitOutcome(id);
        cloud.clearFaults();
        assertEquals(1, swaps(), "no switch back was sent");
        assertTrue(!master.equals(DcsSimulator.of(cloud).masterNode(CACHE)), "the swap away happened");
        assertEquals("FAILED", r.getString("state"), r.prettify());
        assertEquals("SUCCEEDED", r.getString("away.status"), r.prettify());
        assertTrue(!r.getString("detail").contains("nothing changed"), r.getString("detail"));
        assertTrue(r.getString("detail").contains("check by hand"), r.getString("detail"));
        // Leave the roles as the other tests expect them.
        api().body("{\"target\":\"demo-cache\",\"force\":true}").post("/swap");
        await().atMost(Duration.ofSeconds(15)).until(() -> master.equals(DcsSimulator.of(cloud).masterNode(CACHE)));
    }

    @Test
    void aFailingOutcomeInterruptsTheHoldAndSwitchesBackExactlyOnce() {
        String master = DcsSimulator.of(cloud).masterNode(CACHE);
        String id = api().body("{\"target\":\"demo-cache\",\"hold\":\"30s\"}").post("/drill").then().statusCode(200)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> report(id).getList("timeline.name").contains("hold"));
        assertEquals(1, swaps());
        // The new master dies during the hold.
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        JsonPath r = awaitOutcome(id);
        assertEquals("INTERRUPTED", r.getString("state"), r.prettify());
        assertEquals(2, swaps(), "exactly one switch back");
        assertEquals(master, DcsSimulator.of(cloud).masterNode(CACHE), "the roles are back");
        assertTrue(r.getList("timeline.name").contains("hold.interrupted"));
        assertTrue(millis(r.getString("startedAt"), r.getString("finishedAt")) < 20_000, "the hold was cut short");
        assertTrue(actions.find(r.getString("back.actionId")).orElseThrow().forced(),
                "switched back at once, not judged by the failing primary");
        assertTrue(eventTypes(id).contains("io.switchguard.drill.interrupted"));
        // The outage as the probes saw it: from the first failed probe on the dead new master.
        assertNotNull(r.get("away.unavailability.firstFailedAt"), r.prettify());
        assertTrue(r.getInt("away.unavailability.failedProbes") >= 2, r.prettify());
    }

    @Test
    void aBreachTheCheckerSeesDuringTheHoldHandsTheTargetToTheAutomaticPath() {
        String id = startHeldDrill();
        // The checker's verdict: the target is unhealthy (a real incident, not the drill's outcome probe).
        io.switchguard.check.StateStore.Saved saved = states.load("demo-cache").orElse(
                new io.switchguard.check.StateStore.Saved(io.switchguard.policy.TargetState.initial(), null, null));
        states.save("demo-cache", new io.switchguard.check.StateStore.Saved(saved.state().withHealthy(false, 1),
                saved.lastProbeAt(), saved.lastDecision()));
        try {
            JsonPath r = awaitOutcome(id);
            assertEquals("INTERRUPTED", r.getString("state"), r.prettify());
            assertTrue(r.getString("detail").contains("automatic path decides"), r.getString("detail"));
            assertTrue(r.getList("timeline.name").contains("hold.handed-over"));
            assertEquals(1, swaps(), "no switch back: the automatic path has the target");
        } finally {
            states.save("demo-cache", saved);
        }
    }

    @Test
    void anAutomaticSwitchoverDuringTheHoldIsNeverUndoneByTheDrill() {
        String id = startHeldDrill();
        Action auto = switchover.switchover(new io.switchguard.switchover.SwitchoverRequest("demo-cache", "swap",
                "auto", "primary down (test)", null, false, false, null, keeper.leadership().orElseThrow(),
                Instant.now(), null)).journaled().orElseThrow();
        assertEquals("SUCCEEDED", auto.status().name());
        JsonPath r = awaitOutcome(id);
        assertEquals("INTERRUPTED", r.getString("state"), r.prettify());
        assertTrue(r.getString("detail").contains(auto.actionId()), r.getString("detail"));
        assertEquals(2, swaps(), "the drill's and the automatic one; no third to undo it");
    }

    /** A drill of demo-cache with a long hold, once it holds. */
    String startHeldDrill() {
        String id = api().body("{\"target\":\"demo-cache\",\"hold\":\"30s\"}").post("/drill").then()
                .statusCode(200).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> report(id).getList("timeline.name").contains("hold"));
        assertEquals(1, swaps());
        return id;
    }

    @Test
    void badDrillInputIs400() {
        api().body("{\"hold\":\"2s\"}").post("/drill").then().statusCode(400).body("error_code", equalTo("SG.4000"));
        api().body("{\"target\":\"demo-cache\",\"hold\":\"forever\"}").post("/drill").then().statusCode(400);
        api().body("{\"target\":\"demo-cache\",\"hold\":\"2h\"}").post("/drill").then().statusCode(400);
        api().body("{\"target\":\"demo-cache\",\"checkUrl\":\"ftp://x\"}").post("/drill").then().statusCode(400);
        api().body("{\"target\":\"nope\"}").post("/drill").then().statusCode(404);
        api().get("/drill-report?id=no-such").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"target\":\"demo-cache\"}").post("/drill").then()
                .statusCode(401);
        assertEquals(0, swaps());
    }

    @Inject
    Targets targets;
    @Inject
    io.switchguard.switchover.SafetyGuard guard;
    @Inject
    io.switchguard.check.Observer observer;
    @Inject
    io.switchguard.notify.Notifications notifications;
    @Inject
    io.switchguard.notify.Events events;
    @Inject
    io.switchguard.cloud.CloudAuth auth;
    @Inject
    io.switchguard.config.SwitchguardConfig config;
    @Inject
    DrillConfig drillConfig;
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;
    @Inject
    DrillLiveness liveness;

    /**
     * The hold passed and the drill is about to switch back, when its replica stalls; an operator swaps meanwhile.
     * The switch back was decided on the state before that swap: sent now it would toggle the operator's swap back.
     */
    @Test
    void aDrillThatStallsBeforeItsSwitchBackDoesNotUndoASwapMadeMeanwhile() throws Exception {
        java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch wake = new java.util.concurrent.CountDownLatch(1);
        DrillStore stalling = new DrillStore(dataSource, mapper) {
            @Override
            public boolean update(DrillReport r) {
                boolean written = super.update(r);
                if (r.timeline().get(r.timeline().size() - 1).name().equals("switch.back")) {
                    stalled.countDown();
                    try {
                        wake.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return written;
            }
        };
        DrillService replica = new DrillService(targets, switchover, actions, guard, observer, states, stalling,
                notifications, events, auth, config, drillConfig, liveness, java.time.Clock.systemUTC());
        try {
            String id = replica.start(new DrillService.Request("demo-cache", Duration.ofSeconds(1), null, "stalls", null))
                    .orElseThrow().id();
            assertTrue(stalled.await(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, swaps(), "the switch away");
            api().body("{\"target\":\"demo-cache\",\"reason\":\"operator\"}").post("/swap").then().statusCode(200)
                    .body("status", equalTo("SUCCEEDED"));
            String afterOperator = DcsSimulator.of(cloud).masterNode(CACHE);
            wake.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> drills.find(id).orElseThrow().state().finished());
            assertEquals(2, swaps(), "the drill's switch back toggled the operator's swap");
            assertEquals(afterOperator, DcsSimulator.of(cloud).masterNode(CACHE));
            Action back = actions.find(drills.find(id).orElseThrow().back().actionId()).orElseThrow();
            assertEquals("SG.4094", back.errorCode(), back.toString());
        } finally {
            wake.countDown();
            replica.stop();
        }
    }
}
