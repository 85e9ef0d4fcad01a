package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.JdbcShardStore;
import io.switchguard.store.ShardKeeper;
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
 * Several checkers, one decision: two replicas on one store, each with its own shard keeper, and the same failing
 * target. Only the owner of the target's shard acts; when it dies the other takes the shard over and acts, once.
 */
@QuarkusTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final Duration TTL = Duration.ofSeconds(2);
    /** The demo targets' probe interval: one counted probe per interval. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    @Inject Checkers checkers;
    @Inject SandboxLauncher sandbox;
    @Inject Targets targets;
    @Inject ShardKeeper appShards;
    @Inject javax.sql.DataSource dataSource;
    @Inject StateStore states;
    @Inject SwitchoverService switchover;
    @Inject SwitchguardConfig config;
    @Inject MeterRegistry metrics;
    @Inject Clock clock;

    @org.junit.jupiter.api.BeforeEach
    void freshState() {
        // Each scenario starts from a healthy target with no action in its cooldown: the journal's switchovers so far
        // are made older than it by the store's clock, the one the cooldown is counted by.
        states.save("demo-cache", new StateStore.Saved(io.switchguard.policy.TargetState.initial(), null, null));
        io.switchguard.store.Jdbc.inTransaction(dataSource, "age the journal", c -> {
            java.time.OffsetDateTime past = io.switchguard.store.Jdbc.databaseNow(c).minusMinutes(2);
            return io.switchguard.store.Jdbc.update(c, "UPDATE actions SET journaled_at = ? WHERE journaled_at > ?",
                    past, past);
        });
    }

    @AfterEach
    void clear() {
        sandbox.simulator().clearDataPlaneFaults();
        // The scenarios' clock runs ahead: leave no future stamps to the tests that share this application.
        freshState();
        // Nor a checker that stood aside: the next test class in this application expects its checker to own every
        // target (a replica that does not own a target saves no state, so its failure streak would never grow).
        appShards.resume();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            appShards.renew();
            return appShards.owned().size() == appShards.shards();
        });
    }

    /**
     * Each scenario's replicas run on a clock past the cooldown (1 min) of the swaps journaled before it: any
     * journaled switchover starts the target's cooldown (CONTRACT §3).
     */
    Checker replica(ShardKeeper keeper) {
        Clock later = Clock.offset(clock, Duration.ofMinutes(2));
        return checkers.checker(keeper, later);
    }

    long swaps() {
        return sandbox.simulator().count("POST", ".*" + Pattern.quote("/instances/" + CACHE + "/swap"));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void overlappingCyclesActOnce() throws Exception {
        Checker checker = replica(appShards);
        appShards.renew();
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

    ShardKeeper shardKeeper(String id) {
        return shardKeeper(id, config.store().shards());
    }

    ShardKeeper shardKeeper(String id, int shards) {
        return new ShardKeeper(new JdbcShardStore(dataSource), id, shards, TTL, metrics, System::nanoTime, l -> { });
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void twoReplicasActOnceAndTheSurvivorTakesOverWhenTheOwnerDies() throws Exception {
        // The app's own keeper stands aside: this test plays two replicas of its own.
        appShards.standDown();
        ShardKeeper a = shardKeeper("replica-a");
        ShardKeeper b = shardKeeper("replica-b");
        a.renew();
        b.renew();
        a.renew(); // gives up the surplus over its fair share
        b.renew(); // claims it
        assertEquals(config.store().shards(), a.owned().size() + b.owned().size());
        assertTrue(a.owned().size() > 0 && b.owned().size() > 0, a.owned() + " / " + b.owned());
        Target cache = targets.find("demo-cache").orElseThrow();
        ShardKeeper owner = a.owns(cache.name()) ? a : b;
        ShardKeeper other = owner == a ? b : a;
        assertFalse(other.owns(cache.name()));
        Checker checkerOwner = replica(owner);
        Checker checkerOther = replica(other);
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();

        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        // Both run their schedules concurrently; only the shard's owner probes, decides and acts.
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Checker.Report> ro = CompletableFuture.supplyAsync(() -> checkerOwner.check(cache));
            CompletableFuture<Checker.Report> rx = CompletableFuture.supplyAsync(() -> checkerOther.check(cache));
            assertTrue(ro.get().leader());
            assertFalse(rx.get().leader());
            assertEquals(null, rx.get().actionId());
            assertEquals(null, rx.get().signals(), "the replica that does not own the target does not probe it");
            // One probe interval, renewing within the leases' TTL.
            for (int half = 0; half < 2; half++) {
                Thread.sleep(INTERVAL.toMillis() / 2);
                a.renew();
                b.renew();
            }
        }
        assertEquals(before + 1, swaps(), "the owner acts exactly once");
        cloud.clearDataPlaneFault(CACHE);

        // The owner dies (stops renewing). At the survivor's first round after the TTL it owns every shard.
        long epoch = owner.fence(owner.shardOf(cache.name())).orElseThrow().epoch();
        io.switchguard.store.Replicas.lapse(dataSource, owner.instanceId());
        other.renew();
        assertEquals(config.store().shards(), other.owned().size());
        assertTrue(other.fence(other.shardOf(cache.name())).orElseThrow().epoch() > epoch);
        assertTrue(checkerOther.check(cache).leader());

        // The old owner wakes up with its stale shard: its local term ran out or its next round finds the shard
        // gone; nothing journaled, nothing called.
        owner.renew();
        assertFalse(owner.owns(cache.name()));
        assertFalse(checkerOwner.check(cache).leader());
        assertEquals(before + 1, swaps());
        other.standDown();
        owner.standDown();
    }

    /**
     * Checks the failing target once per probe interval until the owner's automatic swap is at the cloud (its answer
     * held back by the SLOW fault): returns that check, still running.
     */
    CompletableFuture<Checker.Report> inTheSwitchover(Checker owner, ShardKeeper keeper, Target target, long before)
            throws Exception {
        // Three counted probes make the breach; a busy machine may make one late (self-distrust): room for two more.
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Checker.Report> r = CompletableFuture.supplyAsync(() -> owner.check(target));
            long t0 = System.nanoTime();
            while (!r.isDone() && swaps() == before) {
                Thread.sleep(20);
            }
            if (swaps() > before) {
                return r;
            }
            r.get();
            // Renewed within its TTL, as ShardKeeper's schedule would: a shard that lapses between cycles
            // is a new term each time, and a new term warms up before it acts (issue #16 part 4).
            long due = t0 + INTERVAL.toNanos();
            while (System.nanoTime() < due) {
                keeper.renew();
                Thread.sleep(Math.max(1, Math.min(500, (due - System.nanoTime()) / 1_000_000)));
            }
            keeper.renew();
        }
        throw new AssertionError("the owner never switched");
    }

    /**
     * Rebalance on join: a replica that joins while the owner is inside a synchronous switchover gets other shards,
     * never that one until the decision has ended; the switchover happens once and is never taken over.
     */
    @Test
    @org.junit.jupiter.api.Order(4)
    void aReplicaJoiningDuringASwitchoverGetsTheShardOnlyAfterIt() throws Exception {
        appShards.standDown();
        // Four shards: demo-cache's (3) is the highest, the first a replica gives up, so only the hold keeps it.
        ShardKeeper owner = shardKeeper("replica-e", 4);
        assertTrue(owner.renew());
        assertEquals(3, owner.shardOf("demo-cache"));
        Checker ownerChecker = replica(owner);
        Target cache = targets.find("demo-cache").orElseThrow();
        int shard = owner.shardOf(cache.name());
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        cloud.fault(CACHE, io.switchguard.sandbox.SandboxFault.SLOW, 1);
        ShardKeeper joiner = shardKeeper("replica-f", 4);
        try {
            CompletableFuture<Checker.Report> acting = inTheSwitchover(ownerChecker, owner, cache, before);
            // replica-f joins; rounds run while the swap's answer is still out.
            for (int round = 0; round < 3; round++) {
                joiner.renew();
                owner.renew();
            }
            assertFalse(acting.isDone(), "the switchover ended before the rounds: the race was not run");
            assertTrue(owner.owned().contains(shard), "the shard was given up during its switchover");
            assertFalse(joiner.owns(cache.name()));
            assertFalse(joiner.owned().isEmpty(), "the joiner got no share meanwhile");
            assertTrue(acting.get().actionId() != null);

            // Afterwards the split evens out; whoever owns the target now does not act again (cooldown).
            for (int round = 0; round < 4; round++) {
                joiner.renew();
                owner.renew();
            }
            assertEquals(4, owner.owned().size() + joiner.owned().size());
            Checker now = replica(owner.owns(cache.name()) ? owner : joiner);
            now.check(cache);
            assertEquals(before + 1, swaps(), "the switchover happened exactly once");
        } finally {
            cloud.clearFaults();
            cloud.clearDataPlaneFault(CACHE);
            owner.standDown();
            joiner.standDown();
        }
    }

    /**
     * Issue #10 item 7: a pause served by the replica without the lease, while the leader is inside a synchronous
     * switchover decided on the row it loaded before, holds after the leader saves its state.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void aPauseOnTheOtherReplicaHoldsWhileTheLeaderSwitches() throws Exception {
        appShards.standDown();
        // replica-c owns every shard (replica-d only serves calls): the pause is served by a non-owner.
        ShardKeeper c = shardKeeper("replica-c");
        ShardKeeper d = shardKeeper("replica-d");
        assertTrue(c.renew());
        Checker leader = replica(c);
        Checker other = replica(d);
        Target cache = targets.find("demo-cache").orElseThrow();
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        // The swap's answer comes late: the leader sits inside the switchover with the row it loaded.
        cloud.fault(CACHE, io.switchguard.sandbox.SandboxFault.SLOW, 1);
        try {
            CompletableFuture<Checker.Report> acting = inTheSwitchover(leader, c, cache, before);
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

    /**
     * The fence is the term that decided. The decision is taken in its batch; the replica stalls past its TTL before
     * the switchover starts and takes its shard again, in a new term: the old decision is not acted on under it.
     */
    @Test
    @org.junit.jupiter.api.Order(5)
    void aDecisionIsNotActedOnInALaterTermOfItsShard() throws Exception {
        appShards.standDown();
        ShardKeeper keeper = shardKeeper("replica-g");
        assertTrue(keeper.renew());
        Target cache = targets.find("demo-cache").orElseThrow();
        long decidedIn = keeper.fence(keeper.shardOf(cache.name())).orElseThrow().epoch();
        java.util.concurrent.atomic.AtomicReference<Checker> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        // Right after the batch that decides to act is written, before its switchover: the stall.
        StateStore stalling = new StateStore(dataSource, false) {
            @Override
            public void saveChecks(java.util.Map<String, Saved> changed) {
                super.saveChecks(changed);
                if (self.get().acting(cache.name()) && stalled.compareAndSet(false, true)) {
                    io.switchguard.store.Replicas.lapse(dataSource, keeper.instanceId());
                    keeper.renew();
                }
            }
        };
        Checker checker = checkers.checker(keeper, stalling, Clock.offset(clock, Duration.ofMinutes(2)));
        self.set(checker);
        CloudSimulator cloud = sandbox.simulator();
        long before = swaps();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        try {
            for (int i = 0; i < 5 && !stalled.get(); i++) {
                checker.check(cache);
                long due = System.nanoTime() + INTERVAL.toNanos();
                while (System.nanoTime() < due) {
                    keeper.renew();
                    Thread.sleep(200);
                }
            }
            assertTrue(stalled.get(), "the checker never decided to act");
            assertTrue(keeper.fence(keeper.shardOf(cache.name())).orElseThrow().epoch() > decidedIn);
            assertEquals(before, swaps(), "a decision of an ended term was acted on in the next one");
        } finally {
            cloud.clearDataPlaneFault(CACHE);
            keeper.standDown();
        }
    }
}
