package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.store.Jdbc;
import io.switchguard.store.JdbcShardStore;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.ShardKeeper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With shards, the fence of an automatic action is its target's shard lease, as this replica held it when it decided.
 * An owner frozen between its decision and the call, whose shard another replica took meanwhile, does not call on
 * wake-up; the new owner acts once. The simulator counts the calls.
 */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class ShardFenceTest extends SandboxSwitchoverTest {

    static final String TARGET = "demo-cache";

    @Inject
    SwitchoverService service;
    @Inject
    ShardKeeper appShards;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry metrics;
    @Inject
    SwitchguardConfig config;
    @Inject
    LeaseKeeper coordinator;
    @Inject
    ActionJournal journal;
    @Inject
    io.switchguard.config.Targets targets;

    final CountDownLatch frozen = new CountDownLatch(1);
    final CountDownLatch wake = new CountDownLatch(1);
    final AtomicBoolean first = new AtomicBoolean(true);

    @BeforeEach
    void setUp() {
        appShards.standDown();
        // Only the first automatic call stalls, right after its decision and before the fence check of its call.
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void beforeCall(Action action) {
                if ("auto".equals(action.trigger()) && first.getAndSet(false)) {
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
        appShards.resume();
    }

    ShardKeeper replica(String id) {
        return new ShardKeeper(new JdbcShardStore(dataSource), id, config.store().shards(), Duration.ofSeconds(15),
                metrics, System::nanoTime, l -> { });
    }

    CompletableFuture<SwitchoverResult> automaticSwap(Lease term) {
        return CompletableFuture.supplyAsync(() -> service.switchover(new SwitchoverRequest(TARGET, "swap", "auto",
                "primary down (test)", null, false, false, null, term, Instant.now(), null)));
    }

    @Test
    void anOwnerFrozenPastItsShardDoesNotCallOnceAnotherReplicaOwnsIt() throws Exception {
        ShardKeeper a = replica("replica-a");
        ShardKeeper b = replica("replica-b");
        try {
            assertTrue(a.renew());
            Lease stale;
            CompletableFuture<SwitchoverResult> auto;
            try (ShardKeeper.Turn turn = a.turn(TARGET)) {
                stale = turn.term().orElseThrow();
                auto = automaticSwap(stale);
                assertTrue(frozen.await(10, TimeUnit.SECONDS));
                // replica-a stays frozen past its TTL (made to pass in the database); replica-b owns its shards now.
                io.switchguard.store.Replicas.lapse(dataSource, a.instanceId());
                assertTrue(b.renew());
                assertTrue(b.owns(TARGET));
                wake.countDown();
                Action late = auto.get(15, TimeUnit.SECONDS).journaled().orElseThrow();
                assertEquals(ActionStatus.REJECTED, late.status());
                assertEquals("SG.4093", late.errorCode());
                assertEquals(0, calls("POST", SWAP), "the frozen owner called after losing its shard");
            }
            // The new owner acts, once, under its own term of the shard.
            Lease current = b.fence(b.shardOf(TARGET)).orElseThrow();
            assertTrue(current.epoch() > stale.epoch());
            Action acted = automaticSwap(current).get(30, TimeUnit.SECONDS).journaled().orElseThrow();
            assertEquals(ActionStatus.SUCCEEDED, acted.status(), acted.toString());
            assertEquals(1, calls("POST", SWAP));
            a.renew();
            assertFalse(a.owns(TARGET));
        } finally {
            a.standDown();
            b.standDown();
        }
    }

    /** A replica that takes a shard finishes what the shard's previous owner left open (here: before its call). */
    @Test
    void takingAShardReconcilesTheSwitchoversItsOwnerLeftOpen() {
        // Only the shard take may trigger it: the coordinator (which reconciles on each renewal) stands aside.
        coordinator.standDown();
        try {
            ActionJournal.Entry entry = journal.create(targets.find(TARGET).orElseThrow(),
                    SwitchoverRequest.manual(TARGET, "swap", "its replica died", null, false, false, null), false);
            assertEquals(io.switchguard.store.ActionStore.Opened.STARTED, journal.open(entry, Duration.ofSeconds(30),
                    null, null));
            Jdbc.inTransaction(dataSource, "the dead replica's lock lapses", c -> Jdbc.update(c,
                    "UPDATE target_locks SET expires_at = ? WHERE target = ?", Jdbc.databaseNow(c).minusSeconds(1),
                    TARGET));
            assertTrue(store.find(entry.action().actionId()).map(a -> !a.finished()).orElseThrow());

            appShards.resume();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Action done = store.find(entry.action().actionId()).orElseThrow();
                assertEquals(ActionStatus.FAILED, done.status());
                assertEquals("SG.5030", done.errorCode());
            });
            assertEquals(0, calls("POST", SWAP));
        } finally {
            coordinator.resume();
        }
    }
}
