package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.store.Jdbc;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.LeaseStore;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly one actor: an automatic action carries its own replica's term, and the store checks that term and the
 * target lock right before the call. A leader frozen between its decision and the call must not act on wake-up.
 */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class FenceTest extends SandboxSwitchoverTest {

    @Inject
    SwitchoverService service;
    @Inject
    LeaseKeeper keeper;
    @Inject
    LeaseStore leases;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry metrics;
    @Inject
    OtherReplica otherReplica;

    final CountDownLatch frozen = new CountDownLatch(1);
    final CountDownLatch wake = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        keeper.renew();
        // Only the automatic call stalls, right after its decision and before the fence check of its call.
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void beforeCall(Action action) {
                if ("auto".equals(action.trigger())) {
                    frozen.countDown();
                    try {
                        wake.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
    }

    @AfterEach
    void tearDown() {
        service.hook(null);
        wake.countDown();
        keeper.renew();
    }

    CompletableFuture<SwitchoverResult> automaticSwap(Lease term) {
        return CompletableFuture.supplyAsync(() -> service.switchover(new SwitchoverRequest("demo-cache", "swap",
                "auto", "primary down (test)", null, false, false, null, term, Instant.now(), null)));
    }

    /** The stall outlasts the lock's TTL: as if its expiry passed, which the test makes happen at once. */
    void expireLock(String target) {
        Jdbc.inTransaction(dataSource, "expire lock", c -> Jdbc.update(c,
                "UPDATE target_locks SET expires_at = ? WHERE target = ?",
                Jdbc.databaseNow(c).minusSeconds(1), target));
    }

    @Test
    void aLeaderFrozenPastItsLockDoesNotToggleBackAfterAManualSwap() throws Exception {
        Lease term = keeper.leadership().orElseThrow();
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        CompletableFuture<SwitchoverResult> auto = automaticSwap(term);
        assertTrue(frozen.await(10, TimeUnit.SECONDS));
        expireLock("demo-cache");
        // The operator, meanwhile, swaps by hand: it takes the lapsed lock and the swap happens.
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));
        String masterAfterManual = DcsSimulator.of(cloud).masterNode(CACHE);
        assertNotEquals(masterBefore, masterAfterManual);

        wake.countDown();
        Action late = auto.get(15, TimeUnit.SECONDS).journaled().orElseThrow();
        assertEquals(ActionStatus.REJECTED, late.status());
        assertEquals("SG.4093", late.errorCode());
        assertEquals(1, calls("POST", SWAP), "the frozen leader toggled back");
        assertEquals(masterAfterManual, DcsSimulator.of(cloud).masterNode(CACHE));
    }

    /**
     * A caller frozen past its lock, whose action another replica's reconciliation took over: the lock it finds
     * again is owned by the same action but held by that replica. Judged by its owner only, it was still "held",
     * and the thawed caller sent its swap while the reconciler followed (or had already ended it "not sent").
     */
    @Test
    void aCallerFrozenPastItsLockDoesNotCallOnceAReconcilerTookItsActionOver() throws Exception {
        Lease term = keeper.leadership().orElseThrow();
        CompletableFuture<SwitchoverResult> auto = automaticSwap(term);
        assertTrue(frozen.await(10, TimeUnit.SECONDS));
        expireLock("demo-cache");
        String actionId = store.list("demo-cache", 1).get(0).actionId();
        io.switchguard.store.ActionStore reconciler = new io.switchguard.store.JdbcActionStore(dataSource,
                outbox, "replica-b/4242/0badc0de");
        assertTrue(reconciler.tryLock("demo-cache", actionId, Duration.ofMinutes(1)), "the reconciler takes it over");
        try {
            wake.countDown();
            Action late = auto.get(15, TimeUnit.SECONDS).journaled().orElseThrow();
            assertEquals(0, calls("POST", SWAP), "the thawed caller sent its swap: " + late.status() + " "
                    + late.detail());
            // What it says is true: nothing was sent (the outcome gives the action's lock back, whoever holds it).
            assertEquals(ActionStatus.REJECTED, late.status());
            assertEquals("SG.4093", late.errorCode());
        } finally {
            reconciler.unlock("demo-cache", actionId);
        }
    }

    @Test
    void aLeaderFrozenPastItsTermDoesNotCallOnceAnotherReplicaLeads() throws Exception {
        Lease term = keeper.leadership().orElseThrow();
        CompletableFuture<SwitchoverResult> auto = automaticSwap(term);
        assertTrue(frozen.await(10, TimeUnit.SECONDS));
        // Its term runs out while it is frozen, and another replica takes the lease.
        Jdbc.inTransaction(dataSource, "expire lease", c -> Jdbc.update(c, "UPDATE leases SET expires_at = ?",
                Jdbc.databaseNow(c).minusSeconds(1)));
        LeaseKeeper other = new LeaseKeeper(leases, "replica-b", Duration.ofSeconds(15), metrics, System::nanoTime);
        assertTrue(other.renew());
        try {
            wake.countDown();
            Action late = auto.get(15, TimeUnit.SECONDS).journaled().orElseThrow();
            assertEquals(ActionStatus.REJECTED, late.status());
            assertEquals("SG.4093", late.errorCode());
            assertEquals(0, calls("POST", SWAP));
            // Its lock was given back: the target is free for the new leader.
            assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")));
        } finally {
            other.standDown();
        }
    }

    @Test
    void anAutomaticDecisionOlderThanAManualSwapIsRefusedAfterTheLock() {
        service.hook(null);
        Instant observed = Instant.now();
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200);
        // The checker's decision was made on an observation from before the operator's swap.
        Action auto = service.switchover(new SwitchoverRequest("demo-cache", "swap", "auto", "primary down (test)",
                null, false, false, null, keeper.leadership().orElseThrow(), observed, null)).journaled().orElseThrow();
        assertEquals(ActionStatus.REJECTED, auto.status());
        assertEquals("SG.4094", auto.errorCode());
        assertTrue(auto.detail().contains("a newer switchover happened since this decision"), auto.detail());
        assertEquals(1, calls("POST", SWAP));
    }

    /**
     * "Newer than the decision" is judged by the database's clock, the one clock replicas share: an operator's swap on
     * a replica whose clock runs a minute behind still happened after this replica's observation.
     */
    @Test
    void anAutomaticDecisionOlderThanASwapOnAReplicaWhoseClockIsBehindIsRefused() {
        service.hook(null);
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1));
        SwitchoverService replicaB = otherReplica.on(behind);
        Instant observed = Instant.now();
        Action manual = replicaB.switchover(SwitchoverRequest.manual("demo-cache", "swap", "operator on replica-b",
                null, false, false, null)).journaled().orElseThrow();
        assertEquals(ActionStatus.SUCCEEDED, manual.status(), manual.toString());
        String masterAfterManual = DcsSimulator.of(cloud).masterNode(CACHE);

        Action auto = service.switchover(new SwitchoverRequest("demo-cache", "swap", "auto", "primary down (test)",
                null, false, false, null, keeper.leadership().orElseThrow(), observed, null)).journaled().orElseThrow();
        assertEquals(ActionStatus.REJECTED, auto.status(), auto.toString());
        assertEquals("SG.4094", auto.errorCode());
        assertEquals(1, calls("POST", SWAP), "the automatic decision toggled the operator's swap back");
        assertEquals(masterAfterManual, DcsSimulator.of(cloud).masterNode(CACHE));
    }
}
