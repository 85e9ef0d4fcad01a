package io.switchguard.drill;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiKeys;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.LeaseStore;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduled planned switchovers: what the cloud received, when, how often; the journal; the events. */
@QuarkusTest
@TestProfile(DrillTestProfile.class)
class ScheduleTest {

    static final String KEY = "test-key-one-4c1a";
    static final String KEY_TWO = "test-key-two-9b2f";
    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final String SWAP = "/v2/" + Targets.DEMO_PROJECT + "/instances/" + CACHE + "/swap";

    @Inject
    SandboxLauncher sandbox;
    @Inject
    ActionStore actions;
    @Inject
    OutboxStore outbox;
    @Inject
    ScheduleStore schedules;
    @Inject
    ScheduleService service;
    @Inject
    LeaseKeeper keeper;
    @Inject
    LeaseStore leases;
    @Inject
    MeterRegistry metrics;
    @Inject
    javax.sql.DataSource dataSource;
    @Inject
    io.switchguard.switchover.SwitchoverService switchover;
    @Inject
    ApiKeys keys;

    CloudSimulator cloud;

    @BeforeEach
    void setUp() {
        cloud = sandbox.simulator();
        cloud.clearFaults();
        cloud.clearDataPlaneFaults();
        cloud.resetCalls();
        // Nothing left from another test may run meanwhile.
        for (Schedule s : schedules.list(null, 500)) {
            schedules.cancel(s.id(), "test cleanup", "test");
        }
    }

    @AfterEach
    void tearDown() {
        await().atMost(Duration.ofSeconds(15)).until(() -> actions.list(null, 20).stream().allMatch(Action::finished));
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    long swaps() {
        return cloud.count("POST", Pattern.quote(SWAP));
    }

    List<String> eventTypes(String target, String id) {
        return outbox.forSubject(target).stream().filter(e -> e.data().contains("\"" + id + "\""))
                .map(OutboxEntry::type).distinct().toList();
    }

    /** A row as a leader would find it after an outage: its time passed {@code ago}. */
    Schedule pendingSince(Duration ago) {
        String id = "sch-test-" + UUID.randomUUID();
        Schedule s = new Schedule(id, "demo-cache", Instant.now().minus(ago), "outage test", id,
                Schedule.State.PENDING, Instant.now().minus(ago), null, null, null, null, null, null, null);
        assertTrue(schedules.create(s));
        return s;
    }

    @Test
    void aScheduledSwitchoverRunsOnceAtItsTimeWithTheGuardsAndIsJournaled() {
        String master = DcsSimulator.of(cloud).masterNode(CACHE);
        Instant at = Instant.now().plusSeconds(3);
        String id = api().body("{\"target\":\"demo-cache\",\"at\":\"" + at + "\",\"reason\":\"patch window\"}")
                .post("/schedule").then().statusCode(200).body("state", equalTo("PENDING"))
                .body("target", equalTo("demo-cache")).extract().path("id");
        api().get("/schedules?target=demo-cache").then().statusCode(200).body("id", hasItem(id));
        assertEquals(0, swaps(), "nothing before its time");

        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(id).orElseThrow().state()
                == Schedule.State.DONE);
        Schedule done = schedules.find(id).orElseThrow();
        Action a = actions.find(done.actionId()).orElseThrow();
        assertTrue(!a.startedAt().isBefore(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS)),
                "not before its time: " + a.startedAt() + " < " + at);
        assertEquals("scheduled", a.trigger());
        assertEquals(ActionStatus.SUCCEEDED, a.status());
        assertEquals(Verification.VERIFIED, a.verification());
        assertEquals(id, a.requestId(), "the schedule's key makes the switchover idempotent");
        assertTrue(a.steps().stream().anyMatch(s -> s.name().equals("guard")
                && s.detail().equals("standby and data-loss guards passed")), "the manual guards ran then");
        assertTrue(a.steps().stream().anyMatch(s -> s.name().equals("fence") && s.detail().startsWith("lease epoch")),
                "fenced by the leader's term");
        assertNotEquals(master, DcsSimulator.of(cloud).masterNode(CACHE));
        assertEquals(1, swaps());
        assertTrue(eventTypes("demo-cache", id).contains("io.switchguard.schedule.created"));
        assertTrue(eventTypes("demo-cache", a.actionId()).contains("io.switchguard.action.succeeded"));

        // Ticks go on: it never runs again.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertEquals(1, swaps());
        assertEquals(1, actions.list("demo-cache", 50).stream().filter(x -> id.equals(x.requestId())).count());
    }

    /**
     * Who asked is on record, as for a manual swap: the schedule names the key that created it and the one that
     * cancelled it, and the switchover it runs is journaled on its creator's behalf.
     */
    @Test
    void aScheduleNamesWhoCreatedAndWhoCancelledItAndItsSwitchoverIsJournaledOnTheCreatorsBehalf() {
        String one = keys.label(KEY);
        String two = keys.label(KEY_TWO);
        String ran = api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().plusSeconds(2)
                + "\",\"reason\":\"patch window\"}").post("/schedule").then().statusCode(200)
                .body("createdBy", equalTo(one)).extract().path("id");
        String kept = api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().plusSeconds(3600)
                + "\",\"reason\":\"later\"}").post("/schedule").then().statusCode(200).extract().path("id");
        given().header("Authorization", "Bearer " + KEY_TWO).contentType(ContentType.JSON)
                .body("{\"id\":\"" + kept + "\",\"reason\":\"change freeze\"}").post("/schedule-cancel").then()
                .statusCode(200).body("createdBy", equalTo(one)).body("cancelledBy", equalTo(two));
        api().get("/schedules?target=demo-cache").then().statusCode(200)
                .body("find { it.id == '" + kept + "' }.cancelledBy", equalTo(two))
                .body("find { it.id == '" + kept + "' }.createdBy", equalTo(one));

        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(ran).orElseThrow().state()
                == Schedule.State.DONE);
        Action a = actions.find(schedules.find(ran).orElseThrow().actionId()).orElseThrow();
        String accepted = a.steps().get(0).detail();
        assertTrue(accepted.contains("by " + one), accepted);
        assertTrue(!accepted.contains(KEY), "a label, never the key: " + accepted);
    }

    @Test
    void aScheduledDwsSwitchoverListsItsActionsOutcomeNotTheFirstAnswer() {
        Instant at = Instant.now().plusSeconds(2);
        String id = api().body("{\"target\":\"demo-dw\",\"at\":\"" + at + "\",\"reason\":\"dr rehearsal\"}")
                .post("/schedule").then().statusCode(200).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(id).orElseThrow().state()
                == Schedule.State.DONE);
        String actionId = schedules.find(id).orElseThrow().actionId();
        // DWS answers "submitted" at once; the DR settles a second later.
        await().atMost(Duration.ofSeconds(15)).until(() -> actions.find(actionId).orElseThrow().finished());
        Action a = actions.find(actionId).orElseThrow();
        assertEquals(ActionStatus.SUCCEEDED, a.status(), a.toString());
        String listed = api().get("/schedules?target=demo-dw").then().statusCode(200).extract().jsonPath()
                .getString("find { it.id == '" + id + "' }.outcome");
        assertTrue(listed.startsWith("SUCCEEDED/VERIFIED"), listed);
    }

    @Test
    void theGuardsAreEvaluatedAtTheTimeOfTheRun() {
        Schedule due = pendingSince(Duration.ofSeconds(1));
        // Created while the standby was fine; at its time the standby is 200 MiB behind (max-lag 64 MiB).
        cloud.dataPlaneFault(CACHE, io.switchguard.sandbox.DataPlaneFault.LAG);
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(due.id()).orElseThrow().state()
                == Schedule.State.DONE);
        Action a = actions.find(schedules.find(due.id()).orElseThrow().actionId()).orElseThrow();
        assertEquals(ActionStatus.REJECTED, a.status());
        assertEquals("SG.4091", a.errorCode());
        assertTrue(schedules.find(due.id()).orElseThrow().outcome().startsWith("REJECTED"));
        assertEquals(0, swaps(), "refused before any cloud call");
        assertTrue(eventTypes("demo-cache", a.actionId()).contains("io.switchguard.action.rejected"));
    }

    /**
     * A requestId names one switchover: the first call's (issue #11 item 7). A schedule given the requestId of a
     * manual swap that already ran is refused when it is created, not "run" later as that swap's outcome.
     */
    @Test
    void aScheduleIsRefusedTheRequestIdOfASwitchoverThatAlreadyRan() {
        String requestId = "chg-" + UUID.randomUUID();
        String actionId = api().body("{\"target\":\"demo-cache\",\"requestId\":\"" + requestId + "\"}").post("/swap")
                .then().statusCode(200).body("status", equalTo("SUCCEEDED")).extract().path("actionId");
        api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().plusSeconds(2) + "\",\"reason\":\"again\","
                + "\"requestId\":\"" + requestId + "\"}").post("/schedule").then().statusCode(409)
                .body("error_code", equalTo("SG.4096"))
                .body("error_msg", equalTo("requestId '" + requestId + "' was already used by action " + actionId
                        + " (manual swap, SUCCEEDED/VERIFIED)"));
        assertTrue(schedules.list("demo-cache", 50).stream().noneMatch(x -> requestId.equals(x.requestId())));
        assertEquals(1, swaps());
    }

    /**
     * A manual swap that took a pending schedule's requestId first is that requestId's switchover: the schedule
     * does not run, and says why (with an event), instead of listing that swap's outcome as its own run.
     */
    @Test
    void aScheduleWhoseRequestIdAManualSwapTookMeanwhileSaysItDidNotRun() {
        String requestId = "chg-" + UUID.randomUUID();
        String id = api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().plusSeconds(3)
                + "\",\"reason\":\"patch window\",\"requestId\":\"" + requestId + "\"}").post("/schedule").then()
                .statusCode(200).extract().path("id");
        String actionId = api().body("{\"target\":\"demo-cache\",\"requestId\":\"" + requestId + "\"}")
                .post("/swap").then().statusCode(200).extract().path("actionId");
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(id).orElseThrow().state()
                != Schedule.State.PENDING && schedules.find(id).orElseThrow().state() != Schedule.State.RUNNING);
        Schedule s = schedules.find(id).orElseThrow();
        assertEquals(null, s.actionId(), s.toString());
        assertEquals("not run: requestId '" + requestId + "' was already used by action " + actionId
                + " (manual swap, SUCCEEDED/VERIFIED)", s.outcome());
        assertTrue(eventTypes("demo-cache", id).contains("io.switchguard.schedule.missed"));
        assertEquals(1, swaps(), "only the manual swap");
    }

    @Test
    void aCancelledScheduleNeverRuns() {
        String id = api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().plusSeconds(2)
                + "\",\"reason\":\"patch window\"}").post("/schedule").then().statusCode(200).extract().path("id");
        api().body("{\"id\":\"" + id + "\",\"reason\":\"change freeze\"}").post("/schedule-cancel").then()
                .statusCode(200).body("state", equalTo("CANCELLED"));
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertEquals(0, swaps());
        assertEquals(Schedule.State.CANCELLED, schedules.find(id).orElseThrow().state());
        assertTrue(eventTypes("demo-cache", id).contains("io.switchguard.schedule.cancelled"));
        api().body("{\"id\":\"" + id + "\",\"reason\":\"again\"}").post("/schedule-cancel").then().statusCode(409)
                .body("error_code", equalTo("SG.4096"));
    }

    @Test
    void aMissedTimeRunsWhenALeaderAppearsUnlessOlderThanTheGrace() {
        Schedule late = pendingSince(Duration.ofSeconds(30));
        Schedule tooLate = pendingSince(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(late.id()).orElseThrow().state()
                == Schedule.State.DONE && schedules.find(tooLate.id()).orElseThrow().state() == Schedule.State.MISSED);
        assertEquals(1, swaps(), "the late one ran, the one past the grace did not");
        assertTrue(schedules.find(tooLate.id()).orElseThrow().outcome().startsWith("missed"));
        assertTrue(eventTypes("demo-cache", tooLate.id()).contains("io.switchguard.schedule.missed"));
    }

    /** A claim left by a runner that died (a restart mid-run): RUNNING, claimed long ago by a replica now gone. */
    Schedule claimedByADeadReplica(String requestId) {
        Schedule s = pendingSince(Duration.ofMinutes(1));
        io.switchguard.store.Jdbc.inTransaction(dataSource, "fake a dead claim", c -> io.switchguard.store.Jdbc.update(c,
                "UPDATE schedules SET state = 'RUNNING', claimed_by = 'dead-replica', claimed_at = ?, request_id = ?"
                        + " WHERE schedule_id = ?", io.switchguard.store.Jdbc.databaseNow(c).minusMinutes(10),
                requestId, s.id()));
        return schedules.find(s.id()).orElseThrow();
    }

    @Test
    void aRunCutShortByARestartIsFinishedByTheNextLeaderWithOneSwitchover() {
        Schedule s = claimedByADeadReplica("sch-restart-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(s.id()).orElseThrow().state()
                == Schedule.State.DONE);
        assertEquals(1, swaps());
        assertEquals(keeper.instanceId(), schedules.find(s.id()).orElseThrow().claimedBy());
    }

    @Test
    void aRunThatReachedTheCloudBeforeTheRestartIsNotSwitchedAgain() {
        // The dead runner's switchover was journaled (and sent) under the schedule's requestId.
        String requestId = "sch-sent-" + UUID.randomUUID();
        Action first = switchover.switchover(io.switchguard.switchover.SwitchoverRequest.planned("demo-cache", "swap",
                "scheduled", "before the restart", requestId, false, null, null)).journaled().orElseThrow();
        assertEquals(1, swaps());
        Schedule s = claimedByADeadReplica(requestId);
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(s.id()).orElseThrow().state()
                == Schedule.State.DONE);
        assertEquals(first.actionId(), schedules.find(s.id()).orElseThrow().actionId(), "the first run's action");
        assertEquals(1, swaps(), "never a second swap");
    }

    @Test
    void twoReplicasNeverBothRunOneSchedule() throws Exception {
        // Replica b shares the store but does not lead: it runs nothing, whatever is due.
        LeaseKeeper b = new LeaseKeeper(leases, "replica-b-" + UUID.randomUUID(), Duration.ofSeconds(15), metrics,
                System::nanoTime);
        b.renew();
        Schedule due = pendingSince(Duration.ofSeconds(1));
        assertEquals(0, service.runDue(b.leadership(), b.instanceId()));

        // Two runners that both believe they lead (a stale leader, the scheduler's own tick) race for the row.
        keeper.renew();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> runs = List.of("runner-1", "runner-2").stream()
                .map(owner -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return service.runDue(keeper.leadership(), owner);
                })).toList();
        go.countDown();
        runs.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(15)).until(() -> schedules.find(due.id()).orElseThrow().state()
                == Schedule.State.DONE);
        assertEquals(1, swaps(), "exactly one swap");
        assertEquals(1, actions.list("demo-cache", 50).stream().filter(x -> due.id().equals(x.requestId())).count());
    }

    @Test
    void badInputIs400AndTheKeyIsRequired() {
        api().body("{\"target\":\"demo-cache\",\"reason\":\"x\"}").post("/schedule").then().statusCode(400)
                .body("error_code", equalTo("SG.4000"));
        api().body("{\"target\":\"demo-cache\",\"at\":\"tomorrow\",\"reason\":\"x\"}").post("/schedule").then()
                .statusCode(400).body("error_msg", org.hamcrest.Matchers.startsWith("at:"));
        api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().minusSeconds(5) + "\",\"reason\":\"x\"}")
                .post("/schedule").then().statusCode(400).body("error_msg",
                        org.hamcrest.Matchers.startsWith("at: must be in the future"));
        api().body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now().plusSeconds(60) + "\"}").post("/schedule")
                .then().statusCode(400).body("error_msg", org.hamcrest.Matchers.startsWith("reason:"));
        api().body("{\"target\":7,\"at\":\"" + Instant.now().plusSeconds(60) + "\",\"reason\":\"x\"}")
                .post("/schedule").then().statusCode(400);
        api().body("{\"target\":\"nope\",\"at\":\"" + Instant.now().plusSeconds(60) + "\",\"reason\":\"x\"}")
                .post("/schedule").then().statusCode(404);
        api().body("{\"id\":\"no-such\",\"reason\":\"x\"}").post("/schedule-cancel").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"target\":\"demo-cache\",\"at\":\"" + Instant.now()
                .plusSeconds(60) + "\",\"reason\":\"x\"}").post("/schedule").then().statusCode(401);
        given().get("/schedules").then().statusCode(401);
        assertTrue(schedules.list(null, 500).stream().allMatch(s -> s.state() != Schedule.State.PENDING));
    }
}
