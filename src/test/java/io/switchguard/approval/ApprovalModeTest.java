package io.switchguard.approval;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchguard.check.Checker;
import io.switchguard.check.ControlJournal;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.sandbox.WatchedTargets;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.LeaseStore;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import io.switchguard.switchover.SwitchoverService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approval mode (issue #16 part 2): targets with auto: approve on a data plane nothing listens on, confirmed by the
 * sandbox cloud's status while the data-plane fault is on. What reaches the cloud simulator, the control journal
 * and the outbox is asserted for each way a request can end.
 */
@QuarkusTest
@TestProfile(ApprovalModeTest.Profile.class)
class ApprovalModeTest {

    static final String KEY = "test-key-one-4c1a";
    static final String PROJECT = "0000000000000000000000000000appr";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = WatchedTargets.profile("approval-mode");
            for (String name : List.of("cache-approve", "cache-deny", "cache-changed", "cache-race", "cache-orphan",
                    "cache-stalled")) {
                target(m, name, "approve");
            }
            target(m, "cache-act", "approve");
            m.put("switchguard.targets.cache-act.approval.timeout", "2s");
            m.put("switchguard.targets.cache-act.approval.on-timeout", "act");
            target(m, "cache-give-up", "approve");
            m.put("switchguard.targets.cache-give-up.approval.timeout", "2s");
            target(m, "cache-auto", "true");
            return m;
        }

        static void target(Map<String, String> m, String name, String auto) {
            WatchedTargets.target(m, name, "dcs", "instance-id", "inst-" + name, PROJECT, auto);
        }
    }

    @Inject io.switchguard.check.Checkers checkers;
    @Inject SandboxLauncher sandbox;
    @Inject Checker checker;
    @Inject Targets targets;
    @Inject LeaseKeeper keeper;
    @Inject LeaseStore leases;
    @Inject ControlJournal controls;
    @Inject OutboxStore outbox;
    @Inject ApprovalStore store;
    @Inject ActionStore journal;
    @Inject SwitchoverService switchover;
    @Inject Events events;
    @Inject SwitchguardConfig config;
    @Inject MeterRegistry metrics;
    @Inject Clock clock;
    @Inject javax.sql.DataSource dataSource;
    @Inject io.switchguard.check.ApprovalGate gate;

    CloudSimulator cloud;

    @BeforeEach
    void leading() {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
        cloud = sandbox.simulator();
    }

    @AfterEach
    void clear() {
        cloud.clearDataPlaneFaults();
    }

    static Response post(String function, String body) {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body(body)
                .post("/" + function);
    }

    static String label() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));
        return "key-" + HexFormat.of().formatHex(digest).substring(0, 6);
    }

    long swaps(String target) {
        return cloud.count("POST", ".*" + Pattern.quote("/instances/inst-" + target + "/swap"));
    }

    List<String> events(String target) {
        return outbox.forSubject(target).stream().map(OutboxEntry::type).filter(t -> t.contains(".approval."))
                .toList();
    }

    List<String> controls(String target) throws Exception {
        return controls.list(target, 20).stream().map(c -> c.control() + " " + c.by()).toList();
    }

    Checker.Report check(String target) {
        return checker.check(targets.find(target).orElseThrow());
    }

    /** The fault on, the replica's first view warms it up (self-distrust), the next one decides. */
    Checker.Report breach(String target) throws InterruptedException {
        cloud.dataPlaneFault("inst-" + target, DataPlaneFault.DOWN);
        Checker.Report warm = check(target);
        assertEquals("self-distrust", warm.decision().guard(), warm.decision().reason());
        Checker.Report r = next(target);
        assertEquals(Verdict.AWAIT_APPROVAL, r.decision().verdict(), r.decision().reason());
        return r;
    }

    Checker.Report next(String target) throws InterruptedException {
        return WatchedTargets.next(() -> check(target));
    }

    @Test
    void anApprovedSwitchoverReachesTheCloudOnceAndTheJournalSaysWhoApproved() throws Exception {
        Checker.Report awaiting = breach("cache-approve");
        assertTrue(awaiting.decision().reason().contains("switch over once an operator approves (auto: approve)"),
                awaiting.decision().reason());
        assertEquals(0, swaps("cache-approve"), "nothing is done before the approval");
        Approval open = store.open("cache-approve").orElseThrow();
        assertEquals(List.of(Events.APPROVAL_REQUESTED), events("cache-approve"));
        OutboxEntry requested = outbox.forSubject("cache-approve").stream()
                .filter(e -> e.type().equals(Events.APPROVAL_REQUESTED)).findFirst().orElseThrow();
        assertTrue(requested.data().contains(open.approvalId()) && requested.data().contains("\"signals\"")
                && requested.data().contains("confirmed by the cloud status"), requested.data());
        given().header("Authorization", "Bearer " + KEY).get("/status?target=cache-approve").then().statusCode(200)
                .body("approvals.approvalId", hasItem(open.approvalId()))
                .body("targets[0].approval.onTimeout", equalTo("give-up"))
                .body("targets[0].approval.pending.status", equalTo("PENDING"))
                .body("targets[0].lastDecision.verdict", equalTo("AWAIT_APPROVAL"));

        // A later cycle of the same breach asks nothing new.
        Checker.Report again = next("cache-approve");
        assertEquals(Verdict.AWAIT_APPROVAL, again.decision().verdict(), again.decision().reason());
        assertEquals(List.of(Events.APPROVAL_REQUESTED), events("cache-approve"));

        given().contentType(ContentType.JSON).body("{\"target\":\"cache-approve\",\"reason\":\"x\"}").post("/approve")
                .then().statusCode(401);
        post("approve", "{\"target\":\"cache-approve\"}").then().statusCode(400)
                .body("error_msg", containsString("reason"));
        post("approve", "{\"target\":\"cache-approve\",\"reason\":\"on call: primary is gone\"}").then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("answeredBy", equalTo(label()))
                .body("switchover.trigger", equalTo("approved"))
                .body("switchover.status", equalTo("SUCCEEDED"));
        assertEquals(1, swaps("cache-approve"));
        Approval approved = store.find(open.approvalId()).orElseThrow();
        assertEquals(Approval.Status.APPROVED, approved.status());
        assertEquals(label(), approved.answeredBy());
        var action = journal.find(approved.actionId()).orElseThrow();
        assertEquals("approved", action.trigger());
        assertTrue(action.reason().contains("approved by " + label()), action.reason());
        assertEquals(List.of("approve " + label(), "approval-requested switchguard"), controls("cache-approve"));
        assertEquals(List.of(Events.APPROVAL_REQUESTED, Events.APPROVAL_APPROVED), events("cache-approve"));

        // The same approval sent again answers with the first result and calls nothing.
        post("approve", "{\"target\":\"cache-approve\",\"approvalId\":\"" + open.approvalId()
                + "\",\"reason\":\"again\"}").then().statusCode(200).body("actionId", equalTo(action.actionId()));
        assertEquals(1, swaps("cache-approve"));
        given().header("Authorization", "Bearer " + KEY).get("/status?target=cache-approve").then()
                .body("targets[0].approval.pending", equalTo(null));
    }

    @Test
    void aDenialSendsNothingAndHoldsForTheRestOfTheBreach() throws Exception {
        breach("cache-deny");
        Approval open = store.open("cache-deny").orElseThrow();
        post("deny", "{\"target\":\"cache-deny\",\"reason\":\"planned maintenance on the standby\"}").then()
                .statusCode(200).body("status", equalTo("DENIED")).body("answeredBy", equalTo(label()));
        assertEquals(0, swaps("cache-deny"));
        assertEquals(List.of("deny " + label(), "approval-requested switchguard"), controls("cache-deny"));
        assertEquals(List.of(Events.APPROVAL_REQUESTED, Events.APPROVAL_DENIED), events("cache-deny"));

        Checker.Report after = next("cache-deny");
        assertEquals(Verdict.REJECTED, after.decision().verdict(), after.decision().reason());
        assertEquals("approval", after.decision().guard());
        assertTrue(after.decision().reason().contains("denied by " + label()), after.decision().reason());
        post("approve", "{\"target\":\"cache-deny\",\"approvalId\":\"" + open.approvalId() + "\",\"reason\":\"x\"}")
                .then().statusCode(409).body("error_msg", containsString("already ended DENIED"));
        assertEquals(0, swaps("cache-deny"));
        assertEquals(1, store.inEpisode("cache-deny", open.episode()).size(), "no second request in the episode");
    }

    @Test
    void anApprovalOfABreachThatNoLongerHoldsIsRefusedAndSendsNothing() throws Exception {
        breach("cache-changed");
        // The cloud says the primary runs again: the failing data plane alone is no confirmed breach any more.
        cloud.clearDataPlaneFault("inst-cache-changed");
        post("approve", "{\"target\":\"cache-changed\",\"reason\":\"go\"}").then().statusCode(409)
                .body("error_code", equalTo("SG.4095"))
                .body("status", equalTo("REFUSED"))
                .body("error_msg", containsString("the state changed since"))
                .body("error_msg", containsString("the cloud reports it running"));
        assertEquals(0, swaps("cache-changed"));
        assertEquals(List.of("approval-refused switchguard", "approve " + label(), "approval-requested switchguard"),
                controls("cache-changed"));
        assertEquals(List.of(Events.APPROVAL_REQUESTED, Events.APPROVAL_REFUSED), events("cache-changed"));
    }

    @Test
    void silenceActsWhenConfiguredAndTheBreachStillHolds() throws Exception {
        breach("cache-act");
        Checker.Report r = waitPastTheDeadline("cache-act");
        assertEquals(Verdict.SWITCHOVER, r.decision().verdict(), r.decision().reason());
        assertTrue(r.decision().reason().contains("on-timeout act"), r.decision().reason());
        assertEquals("auto", journal.find(r.actionId()).orElseThrow().trigger());
        assertEquals(1, swaps("cache-act"));
        assertEquals(Approval.Status.TIMED_OUT, store.latest("cache-act").orElseThrow().status());
        assertEquals(List.of("approval-timeout switchguard", "approval-requested switchguard"), controls("cache-act"));
        assertEquals(List.of(Events.APPROVAL_REQUESTED, Events.APPROVAL_TIMED_OUT), events("cache-act"));
    }

    @Test
    void silenceGivesUpByDefault() throws Exception {
        breach("cache-give-up");
        Checker.Report r = waitPastTheDeadline("cache-give-up");
        assertEquals(Verdict.REJECTED, r.decision().verdict(), r.decision().reason());
        assertEquals("approval", r.decision().guard());
        assertTrue(r.decision().reason().contains("on-timeout give-up"), r.decision().reason());
        assertEquals(0, swaps("cache-give-up"));
        Approval ended = store.latest("cache-give-up").orElseThrow();
        assertEquals(Approval.Status.TIMED_OUT, ended.status());
        assertEquals(List.of("approval-timeout switchguard", "approval-requested switchguard"),
                controls("cache-give-up"));
        assertEquals(List.of(Events.APPROVAL_REQUESTED, Events.APPROVAL_TIMED_OUT), events("cache-give-up"));
        post("approve", "{\"target\":\"cache-give-up\",\"reason\":\"too late\"}").then().statusCode(404);
        assertEquals(0, swaps("cache-give-up"));
    }

    /**
     * The approval arrives at two replicas at once, one of them not the lease holder: it is claimed once, and the
     * cloud sees one swap.
     */
    @Test
    void anApprovalSentToTwoReplicasAtOnceActsOnce() throws Exception {
        breach("cache-race");
        Approval open = store.open("cache-race").orElseThrow();
        LeaseKeeper follower = new LeaseKeeper(leases, "replica-follower", Duration.ofSeconds(2), metrics,
                System::nanoTime);
        assertTrue(follower.leadership().isEmpty());
        Approvals other = checkers.approvals(follower);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Approvals.Answer> atFollower = CompletableFuture.supplyAsync(() -> {
            awaitGo(go);
            return other.approve("cache-race", open.approvalId(), "key-follower", "seen on the follower");
        });
        CompletableFuture<Integer> atLeader = CompletableFuture.supplyAsync(() -> {
            awaitGo(go);
            return post("approve", "{\"target\":\"cache-race\",\"reason\":\"seen on the leader\"}").statusCode();
        });
        go.countDown();
        Approvals.Answer followerAnswer = atFollower.get();
        int leaderStatus = atLeader.get();
        assertNotNull(followerAnswer);
        assertEquals(1, swaps("cache-race"), "one swap, whichever replica claimed it (follower: "
                + followerAnswer.outcome() + " " + followerAnswer.message() + ", leader: HTTP " + leaderStatus + ")");
        Approval approved = store.find(open.approvalId()).orElseThrow();
        assertEquals(Approval.Status.APPROVED, approved.status());
        assertEquals(1, controls("cache-race").stream().filter(c -> c.startsWith("approve ")).count());
        post("approve", "{\"target\":\"cache-race\",\"approvalId\":\"" + open.approvalId() + "\",\"reason\":\"x\"}")
                .then().statusCode(200).body("actionId", notNullValue());
        assertEquals(1, swaps("cache-race"));
    }

    /** A replica claimed an approval and died before journaling a switchover: the leader settles it, once. */
    @Test
    void anApprovalWhoseApproverDiedIsSettledAndTheTargetMayAskAgain() throws Exception {
        java.time.Instant claimed = clock.instant().minus(Approvals.STALE_APPROVING).minusSeconds(60);
        Approval orphan = new Approval(java.util.UUID.randomUUID().toString(), "cache-orphan", 0, "swap",
                Approval.Status.APPROVING, "PRIMARY_DOWN", "an earlier breach", null, claimed, claimed, claimed
                .plusSeconds(600), "give-up", claimed, "key-gone", "approved before the crash", null, null);
        assertTrue(store.insert(orphan));

        breach("cache-orphan");
        Approval settled = store.find(orphan.approvalId()).orElseThrow();
        assertEquals(Approval.Status.REFUSED, settled.status());
        assertTrue(settled.outcome().contains("stopped before recording the outcome and before any switchover was"
                + " journaled: nothing was sent"), settled.outcome());
        assertEquals("key-gone", settled.answeredBy());
        Approval fresh = store.open("cache-orphan").orElseThrow();
        assertTrue(!fresh.approvalId().equals(orphan.approvalId()) && fresh.status() == Approval.Status.PENDING);
        assertEquals(0, swaps("cache-orphan"));
    }

    @Test
    void anAutoTrueTargetStillActsWithoutAsking() throws Exception {
        cloud.dataPlaneFault("inst-cache-auto", DataPlaneFault.DOWN);
        check("cache-auto");
        Checker.Report r = next("cache-auto");
        assertEquals(Verdict.SWITCHOVER, r.decision().verdict(), r.decision().reason());
        assertEquals(1, swaps("cache-auto"));
        assertTrue(store.latest("cache-auto").isEmpty());
    }

    /** Counted cycles one interval apart (a longer gap is the checker running late) until the request ended. */
    Checker.Report waitPastTheDeadline(String target) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            Checker.Report r = next(target);
            if (r.decision().verdict() != Verdict.AWAIT_APPROVAL) {
                return r;
            }
            assertEquals(0, swaps(target), "nothing before the deadline");
        }
        throw new AssertionError("the approval of " + target + " never timed out");
    }

    static void awaitGo(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An approver that claimed the approval and stalled (not died) past STALE_APPROVING: the leader settles it as
     * "nothing was sent". When the approver wakes up it must not send the swap after all.
     */
    @Test
    void anApproverThatStalledPastItsApprovalBeingSettledSendsNothing() throws Exception {
        breach("cache-stalled");
        Approval open = store.open("cache-stalled").orElseThrow();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        ControlJournal stalling = new ControlJournal(dataSource) {
            @Override
            public Control record(java.time.Instant at, String target, String control, String by, String reason,
                    String detail) {
                Control c = super.record(at, target, control, by, reason, detail);
                if (control.equals("approve")) {
                    stalled.countDown();
                    try {
                        wake.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return c;
            }
        };
        LeaseKeeper follower = new LeaseKeeper(leases, "replica-stalled", Duration.ofSeconds(2), metrics,
                System::nanoTime);
        Approvals approver = checkers.approvals(follower, stalling);
        CompletableFuture<Approvals.Answer> late = CompletableFuture.supplyAsync(
                () -> approver.approve("cache-stalled", open.approvalId(), "key-stalled", "approved, then stalled"));
        try {
            assertTrue(stalled.await(10, java.util.concurrent.TimeUnit.SECONDS));
            // The leader's cycle, past STALE_APPROVING: the approval is settled, nothing having been journaled.
            io.switchguard.policy.Decision none = new io.switchguard.policy.Decision(
                    io.switchguard.policy.Diagnosis.PRIMARY_DOWN, Verdict.NONE, "primary down (test)", true, false,
                    null);
            gate.review(targets.find("cache-stalled").orElseThrow(), none, null, clock.instant(), 0,
                    clock.instant().plus(Approvals.STALE_APPROVING).plusSeconds(60));
            Approval settled = store.find(open.approvalId()).orElseThrow();
            assertEquals(Approval.Status.REFUSED, settled.status(), settled.outcome());
            assertTrue(settled.outcome().contains("nothing was sent"), settled.outcome());
        } finally {
            wake.countDown();
        }
        Approvals.Answer answer = late.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, swaps("cache-stalled"), "the swap went out after the approval was settled as never sent ("
                + answer.message() + ")");
        assertEquals(Approval.Status.REFUSED, store.find(open.approvalId()).orElseThrow().status());
        assertEquals(List.of(Events.APPROVAL_REQUESTED, Events.APPROVAL_REFUSED), events("cache-stalled"),
                "one terminal event, the settling's: the late approver's outcome is not recorded, so not sent");
    }
}
