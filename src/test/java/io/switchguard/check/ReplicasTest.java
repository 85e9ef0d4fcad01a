package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.LeaseStore;
import io.switchguard.store.OutboxStore;
import io.switchguard.switchover.SwitchoverService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several checkers, one decision: two replicas on one store, each with its own lease keeper, probing the same
 * failing target. Only the lease holder acts; when it dies the other takes over and acts, once.
 */
@QuarkusTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final Duration TTL = Duration.ofSeconds(2);
    /** The demo targets' probe interval: one counted probe per interval. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    @Inject SandboxLauncher sandbox;
    @Inject Targets targets;
    @Inject LeaseKeeper appKeeper;
    @Inject LeaseStore leases;
    @Inject StateStore states;
    @Inject ControlJournal controls;
    @Inject FailoverBudget budget;
    @Inject ApprovalGate approvals;
    @Inject PreflightGate preflight;
    @Inject SwitchoverService switchover;
    @Inject OutboxStore outbox;
    @Inject io.switchguard.store.ActionStore journal;
    @Inject Events events;
    @Inject SwitchguardConfig config;
    @Inject MeterRegistry metrics;
    @Inject ObjectMapper mapper;
    @Inject CloudStatusReaders cloudReaders;
    @Inject CloudAuth auth;
    @Inject Clock clock;

    @org.junit.jupiter.api.BeforeEach
    void freshState() {
        // Each scenario starts from a healthy target with no action in its cooldown.
        states.save("demo-cache", new StateStore.Saved(io.switchguard.policy.TargetState.initial(), null, null));
    }

    @AfterEach
    void clear() {
        sandbox.simulator().clearDataPlaneFaults();
        // The scenarios' clock runs ahead: leave no future stamps to the tests that share this application.
        freshState();
        // Nor a checker that stood aside: the next test class in this application expects its checker to lead
        // (a follower saves no state, so its failure streak would never grow).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(appKeeper::renew);
    }

    /**
     * Each scenario's replicas run on a clock past the cooldown (1 min) of the swaps journaled before it: any
     * journaled switchover starts the target's cooldown (CONTRACT §3).
     */
    Checker replica(LeaseKeeper keeper) {
        Clock later = Clock.offset(clock, Duration.ofMinutes(2));
        return new Checker(targets, keeper, auth, new Observer(cloudReaders, auth, config, later), states, switchover,
                journal, outbox, controls, budget, approvals, preflight, events, config, metrics, mapper, later);
    }

    long swaps() {
        return sandbox.simulator().count("POST", ".*" + Pattern.quote("/instances/" + CACHE + "/swap"));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void overlappingCyclesActOnce() throws Exception {
        Checker checker = replica(appKeeper);
        appKeeper.renew();
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        // Two /check invocations at once, one probe interval apart, four times over: the breach is reached (each
        // pair counts once), one action is taken.
        for (int i = 0; i < 4; i++) {
            CompletableFuture<List<Checker.Report>> one = CompletableFuture.supplyAsync(checker::cycle);
            CompletableFuture<List<Checker.Report>> two = CompletableFuture.supplyAsync(checker::cycle);
            one.get();
            two.get();
            Thread.sleep(INTERVAL.toMillis());
        }
        assertEquals(before + 1, swaps());
        cloud.clearDataPlaneFault(CACHE);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void twoReplicasActOnceAndTheSurvivorTakesOverWhenTheHolderDies() throws Exception {
        // The app's own keeper stands aside: this test plays two replicas of its own.
        appKeeper.standDown();
        LeaseKeeper a = new LeaseKeeper(leases, "replica-a", TTL, metrics, System::nanoTime);
        LeaseKeeper b = new LeaseKeeper(leases, "replica-b", TTL, metrics, System::nanoTime);
        assertTrue(a.renew(), "replica-a should take the free lease");
        assertFalse(b.renew(), "replica-b must not take a live lease");
        Checker checkerA = replica(a);
        Checker checkerB = replica(b);
        Target cache = targets.find("demo-cache").orElseThrow();
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();

        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        // Both probe every cycle, concurrently; only the holder decides and acts.
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Checker.Report> ra = CompletableFuture.supplyAsync(() -> checkerA.check(cache));
            CompletableFuture<Checker.Report> rb = CompletableFuture.supplyAsync(() -> checkerB.check(cache));
            assertTrue(ra.get().leader());
            assertFalse(rb.get().leader());
            assertTrue(rb.get().decision().verdict() != Verdict.SWITCHOVER || rb.get().actionId() == null);
            // One probe interval, renewing within the lease's TTL.
            for (int half = 0; half < 2; half++) {
                Thread.sleep(INTERVAL.toMillis() / 2);
                a.renew();
            }
        }
        assertEquals(before + 1, swaps(), "the holder acts exactly once");
        cloud.clearDataPlaneFault(CACHE);

        // The holder dies (stops renewing). Within TTL the survivor leads with a higher epoch.
        long epochA = a.lease().orElseThrow().epoch();
        long died = System.nanoTime();
        while (!b.renew()) {
            Thread.sleep(100);
            assertTrue(System.nanoTime() - died < TTL.plusSeconds(2).toNanos(), "no takeover within TTL");
        }
        assertTrue(b.lease().orElseThrow().epoch() > epochA);
        assertTrue(checkerB.check(cache).leader());

        // The old holder wakes up with its stale lease: fenced off, nothing journaled, nothing called.
        assertFalse(a.isLeader());
        List<Checker.Report> stale = List.of(checkerA.check(cache));
        assertFalse(stale.get(0).leader());
        assertEquals(before + 1, swaps());
    }

    /**
     * Issue #10 item 7: a pause served by the replica without the lease, while the leader is inside a synchronous
     * switchover decided on the row it loaded before, holds after the leader saves its state.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void aPauseOnTheOtherReplicaHoldsWhileTheLeaderSwitches() throws Exception {
        appKeeper.standDown();
        LeaseKeeper c = new LeaseKeeper(leases, "replica-c", TTL, metrics, System::nanoTime);
        LeaseKeeper d = new LeaseKeeper(leases, "replica-d", TTL, metrics, System::nanoTime);
        long waiting = System.nanoTime();
        while (!c.renew()) {
            Thread.sleep(100);
            assertTrue(System.nanoTime() - waiting < TTL.plusSeconds(3).toNanos(), "replica-c never led");
        }
        Checker leader = replica(c);
        Checker other = replica(d);
        Target cache = targets.find("demo-cache").orElseThrow();
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        // The swap's answer comes late: the leader sits inside the switchover with the row it loaded.
        cloud.fault(CACHE, io.switchguard.sandbox.SandboxFault.SLOW, 1);
        try {
            CompletableFuture<Checker.Report> acting = null;
            for (int i = 0; i < 3 && acting == null; i++) {
                CompletableFuture<Checker.Report> r = CompletableFuture.supplyAsync(() -> leader.check(cache));
                long t0 = System.nanoTime();
                while (!r.isDone() && swaps() == before) {
                    Thread.sleep(20);
                }
                if (swaps() > before) {
                    acting = r;
                } else {
                    r.get();
                    // Renewed within its TTL, as LeaseKeeper's schedule would: a lease that lapses between cycles
                    // is a new term each time, and a new term warms up before it acts (issue #16 part 4).
                    long due = t0 + INTERVAL.toNanos();
                    while (System.nanoTime() < due) {
                        c.renew();
                        Thread.sleep(Math.max(1, Math.min(500, (due - System.nanoTime()) / 1_000_000)));
                    }
                    c.renew();
                }
            }
            assertTrue(acting != null, "the leader never switched");
            other.pause(cache, "key-test01", "maintenance on the other replica", null);
            assertFalse(acting.isDone(), "the leader finished before the pause: the race was not run");
            acting.get();
            StateStore.Saved saved = states.load("demo-cache").orElseThrow();
            assertTrue(saved.state().paused(), "the leader's save undid the pause");
            assertEquals("maintenance on the other replica", saved.state().pauseReason());
            assertTrue(saved.lastDecision().contains("SWITCHOVER"), saved.lastDecision());
        } finally {
            cloud.clearFaults();
            cloud.clearDataPlaneFault(CACHE);
            other.resume(cache, "key-test01", null);
            c.standDown();
        }
    }
}
