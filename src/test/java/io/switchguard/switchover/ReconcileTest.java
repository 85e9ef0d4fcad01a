package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.DW;
import static io.switchguard.sandbox.SandboxApi.FAILOVER;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.config.Targets;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.store.ActionStore;
import io.switchguard.store.Jdbc;
import io.switchguard.store.StoreException;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Outcomes survive a crash, a shutdown, a store failure: the lock stays, and reconciliation finishes the entry. */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class ReconcileTest extends SandboxSwitchoverTest {

    @Inject
    SwitchoverService service;
    @Inject
    Follower follower;
    @Inject
    DataSource dataSource;
    @Inject
    ActionJournal journal;
    @Inject
    Drivers drivers;
    @Inject
    io.switchguard.config.SwitchguardConfig config;
    @Inject
    io.switchguard.cloud.CloudAuth auth;
    @Inject
    io.switchguard.store.LeaseKeeper keeper;
    @Inject
    Targets targets;

    @AfterEach
    void unhook() {
        service.hook(null);
    }

    void expireLock(String target) {
        Jdbc.inTransaction(dataSource, "expire lock", c -> Jdbc.update(c,
                "UPDATE target_locks SET expires_at = ? WHERE target = ?",
                Jdbc.databaseNow(c).minusSeconds(1), target));
    }

    /** A manual swap whose journal write right after the call fails: answered UNKNOWN, its lock kept. */
    Action storeLostAfterTheCall(String reason) {
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void afterCall(Action action) {
                throw new StoreException("record action failed: connection lost (test)", null);
            }
        });
        try {
            return service.switchover(SwitchoverRequest.manual("demo-cache", "swap", reason, null, false, false,
                    null)).journaled().orElseThrow();
        } finally {
            service.hook(null);
        }
    }

    @Test
    void aStoreFailureRightAfterTheCallKeepsTheLockAndTheOutcomeIsReconciled() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        Action answered = storeLostAfterTheCall("store dies");
        assertEquals(ActionStatus.UNKNOWN, answered.status());
        assertNotEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE), "the swap itself happened");
        // Not released: only the outcome or the expiry ends it.
        assertTrue(store.locks().stream().anyMatch(l -> l.owner().equals(answered.actionId())));
        assertEquals(0, follower.reconcile(), "a live lock is someone's work in progress");

        expireLock("demo-cache");
        assertEquals(1, follower.reconcile());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Action done = store.find(answered.actionId()).orElseThrow();
            assertEquals(ActionStatus.SUCCEEDED, done.status());
            assertEquals(Verification.VERIFIED, done.verification());
        });
        assertEquals(List.of("succeeded"), events("demo-cache", answered.actionId()));
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")));
        assertEquals(1, calls("POST", SWAP), "reconciliation reads, never resends");
    }

    /**
     * A switchover whose call went out and whose outcome is not read yet (its lock lapsed: its process died, or
     * its store failed) stands in the way of the next one until reconciliation has read it. A second swap let
     * through toggled the roles back, and the first, judged afterwards against its own "before", ended FAILED
     * although its swap had happened (or SUCCEEDED, with its event, for a swap that had no effect).
     */
    @Test
    void aSwapWhoseOutcomeIsNotReadYetStandsInTheWayOfTheNext() {
        String masterBefore = DcsSimulator.of(cloud).masterNode(CACHE);
        Action first = storeLostAfterTheCall("outcome not read");
        expireLock("demo-cache");

        Action second = service.switchover(SwitchoverRequest.manual("demo-cache", "swap", "retry", null, false,
                false, null)).journaled().orElseThrow();
        assertEquals(ActionStatus.REJECTED, second.status(), second.detail());
        assertEquals("SG.4090", second.errorCode());
        assertTrue(second.detail().contains(first.actionId()), second.detail());
        assertEquals(1, calls("POST", SWAP), "a second toggle before the first was read");

        assertEquals(1, follower.reconcile());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Action done = store.find(first.actionId()).orElseThrow();
            assertEquals(ActionStatus.SUCCEEDED, done.status());
            assertEquals(Verification.VERIFIED, done.verification());
        });
        assertNotEquals(masterBefore, DcsSimulator.of(cloud).masterNode(CACHE));
        Action third = service.switchover(SwitchoverRequest.manual("demo-cache", "swap", "once read", null, false,
                false, null)).journaled().orElseThrow();
        assertEquals(ActionStatus.SUCCEEDED, third.status(), "once read, the next swap runs");
    }

    /**
     * An action left open on a target since removed from the configuration: its state cannot be read, but it still
     * ends, says why, and sends its terminal event (it was left as it was: open for ever, with no event).
     */
    @Test
    void anActionLeftOnATargetNoLongerConfiguredEndsUnknownWithItsEvent() {
        Action a = journal.create(targets.find("demo-cache").orElseThrow(), SwitchoverRequest.manual("demo-cache",
                "swap", "before the target was removed", null, false, false, null), false).action();
        Action left = new Action(a.actionId(), "retired-cache", a.kind(), a.action(), a.trigger(),
                ActionStatus.UNKNOWN, Verification.PENDING, a.reason(), "no answer from the cloud (test)", null, false,
                false, a.startedAt(), null, null, "SG.5040", "no answer", List.of(new Action.Step(a.startedAt(),
                        "call", "attempt 1: swap (test)")));
        assertEquals(ActionStore.Opened.STARTED, store.open(left, Duration.ofSeconds(30), null, null));
        expireLock("retired-cache");

        assertEquals(1, follower.reconcile());
        Action done = store.find(a.actionId()).orElseThrow();
        assertTrue(done.finished(), done.toString());
        assertEquals(ActionStatus.UNKNOWN, done.status());
        assertEquals(Verification.SKIPPED, done.verification());
        assertTrue(done.detail().contains("no longer configured"), done.detail());
        assertEquals(List.of("unknown"), events("retired-cache", a.actionId()));
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("retired-cache")), "its lock is given back");
        assertEquals(0, follower.reconcile(), "and it is not taken over again");
    }

    /**
     * A process with no cloud credentials of its own (a FaaS instance between invocations: its keys come with each
     * invocation) cannot read the state: it leaves an unfinished action alone, lock and all, instead of polling
     * unsigned until the follow-up gives up UNKNOWN; the next process (or invocation) that can sign finishes it.
     */
    @Test
    void withoutCloudCredentialsAnUnfinishedActionIsLeftForOneThatHasThem() {
        Action answered = storeLostAfterTheCall("cut off");
        expireLock("demo-cache");
        auth.useSandbox(null);
        try {
            assertEquals(0, follower.reconcile(), "nothing can be read without credentials");
        } finally {
            auth.useSandbox(AutoNotSentTest.KEYS);
        }
        assertEquals(ActionStatus.UNKNOWN, store.find(answered.actionId()).orElseThrow().status());
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")), "no lock taken");

        assertEquals(1, follower.reconcile());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Action done = store.find(answered.actionId()).orElseThrow();
            assertEquals(ActionStatus.SUCCEEDED, done.status());
            assertEquals(Verification.VERIFIED, done.verification());
        });
        assertEquals(1, calls("POST", SWAP), "reconciliation reads, never resends");
    }

    @Test
    void anEntryLeftBeforeTheCallIsFailedNotSent() {
        // A process that stopped after journaling and before its call: the entry, and a lock that lapsed.
        ActionJournal.Entry entry = journal.create(targets.find("demo-cache").orElseThrow(),
                SwitchoverRequest.manual("demo-cache", "swap", "crashed", null, false, false, null), false);
        assertEquals(ActionStore.Opened.STARTED, journal.open(entry, Duration.ofSeconds(30), null, null));
        expireLock("demo-cache");
        assertEquals(1, follower.reconcile());
        Action done = store.find(entry.action().actionId()).orElseThrow();
        assertEquals(ActionStatus.FAILED, done.status());
        assertEquals("SG.5030", done.errorCode());
        assertEquals(List.of("failed"), events("demo-cache", done.actionId()));
        assertEquals(0, calls("POST", SWAP));
    }

    @Test
    void aSwapThatEndsBetweenReconciliationsReadsIsNotTakenOver() {
        // A swap in progress on this replica: its entry open, its lock live.
        ActionJournal.Entry entry = journal.create(targets.find("demo-cache").orElseThrow(),
                SwitchoverRequest.manual("demo-cache", "swap", "ends while another reconciles", null, false, false,
                        null), false);
        assertEquals(ActionStore.Opened.STARTED, journal.open(entry, Duration.ofSeconds(30), null, null));
        String id = entry.action().actionId();
        // It ends, and gives its lock back, right after reconciliation's first read of the store, whichever of the
        // two (the locks, the unfinished entries) that is: seen in swap-latency.sh as a 409 right after a 200.
        AtomicBoolean ended = new AtomicBoolean();
        ActionStore racing = (ActionStore) Proxy.newProxyInstance(ActionStore.class.getClassLoader(),
                new Class<?>[] {ActionStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if ((method.getName().equals("locks") || method.getName().equals("unfinished"))
                            && ended.compareAndSet(false, true)) {
                        assertTrue(journal.move(entry, ActionStatus.SUCCEEDED, Verification.VERIFIED,
                                "verified (test)", null, null, null, false));
                    }
                    return result;
                });
        Follower other = new Follower(journal, racing, drivers, targets, config, Clock.systemUTC(), auth);

        assertEquals(0, other.reconcile(), "an action that ended is nobody's to take over");
        assertTrue(ended.get());
        Action after = store.find(id).orElseThrow();
        assertEquals(ActionStatus.SUCCEEDED, after.status());
        assertTrue(after.steps().stream().noneMatch(s -> s.name().equals("reconcile")), after.steps().toString());
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")),
                "the lock stays given back: the next swap on the target is not refused 409");
        assertEquals(List.of("succeeded"), events("demo-cache", id));
    }

    @Test
    void aShutdownDuringAFollowUpKeepsTheLockAndTheLeaderFinishesTheFailover() throws Exception {
        Duration failoverTime = DwsSimulator.of(cloud).failoverTime();
        DwsSimulator.of(cloud).setFailoverTime(Duration.ofSeconds(3));
        String primaryBefore = DwsSimulator.of(cloud).primaryCluster(DW);
        try {
            service.hook(new SwitchoverService.CallHook() {
                @Override
                public void afterCall(Action action) {
                    throw new StoreException("record action failed (test)", null);
                }
            });
            Action a = service.switchover(SwitchoverRequest.manual("demo-dw", "failover", "shutdown mid-way", null,
                    false, false, null)).journaled().orElseThrow();
            service.hook(null);
            // A replica takes the action over, follows the running failover, and is shut down in the middle.
            expireLock("demo-dw");
            Follower replica = new Follower(journal, store, drivers, targets, config, Clock.systemUTC(), auth);
            assertEquals(1, replica.reconcile());
            Thread.sleep(300);
            replica.stop();
            Thread.sleep(300);
            assertTrue(store.locks().stream().anyMatch(l -> l.owner().equals(a.actionId())),
                    "a shutdown must not release the lock of a running failover");
            assertTrue(!store.find(a.actionId()).orElseThrow().finished());

            // Its lock lapses; the leader's next renewal reconciles it.
            Thread.sleep(3000);
            expireLock("demo-dw");
            keeper.renew();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Action done = store.find(a.actionId()).orElseThrow();
                assertEquals(ActionStatus.SUCCEEDED, done.status());
                assertEquals(Verification.VERIFIED, done.verification());
            });
            assertNotEquals(primaryBefore, DwsSimulator.of(cloud).primaryCluster(DW));
            assertEquals(1, calls("POST", FAILOVER));
            assertEquals(List.of("succeeded"), events("demo-dw", a.actionId()));
        } finally {
            DwsSimulator.of(cloud).setFailoverTime(failoverTime);
        }
    }
}
