package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas on one embedded PostgreSQL split the targets by shard leases: every target has exactly one owner, a
 * killed replica's shards are owned again at the first round after its TTL, a shard with a decision in flight is
 * never given up, and an owner that stalled past its term is fenced in the store. Rounds are driven by the test and
 * a lease's end is made to pass in the database (the database clock is the only clock leases obey), so nothing
 * here depends on how fast the machine is.
 */
class ShardKeeperTest {

    static final int SHARDS = 16;
    static final Duration TTL = Duration.ofMinutes(1);
    /** Enough targets that every shard has some. */
    static final List<String> TARGETS = IntStream.range(0, 1000).mapToObj(i -> "target-" + i).toList();

    static EmbeddedPostgresDatabases postgres;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<Lease> taken = new CopyOnWriteArrayList<>();
    AgroalDataSource dataSource;
    JdbcShardStore store;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresDatabases.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void start() throws SQLException {
        dataSource = postgres.dataSource(postgres.createDatabase(), 8);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new JdbcShardStore(dataSource);
    }

    @AfterEach
    void stop() {
        dataSource.close();
    }

    ShardKeeper replica(String id) {
        return new ShardKeeper(store, id, SHARDS, TTL, registry, System::nanoTime, taken::add);
    }

    /** Rounds of every replica in turn until nobody gives up or claims any more (at most ten). */
    static int settle(List<ShardKeeper> replicas) {
        for (int round = 1; round <= 10; round++) {
            List<SortedSet<Integer>> before = replicas.stream().map(ShardKeeper::owned).toList();
            replicas.forEach(ShardKeeper::renew);
            if (before.equals(replicas.stream().map(ShardKeeper::owned).toList()) && round > 1) {
                return round;
            }
        }
        throw new AssertionError("no stable split within ten rounds: " + replicas.stream().map(ShardKeeper::owned)
                .toList());
    }

    /** Each target owned by exactly one replica (by its local view and by the store's leases). */
    void assertEveryTargetHasOneOwner(List<ShardKeeper> replicas) {
        for (String t : TARGETS) {
            List<String> owners = replicas.stream().filter(r -> r.owns(t)).map(ShardKeeper::instanceId).toList();
            assertEquals(1, owners.size(), () -> t + " (shard " + ShardKeeper.shardOf(t, SHARDS) + ") owned by "
                    + owners);
        }
        Set<Integer> all = new HashSet<>();
        for (ShardKeeper r : replicas) {
            for (Integer s : r.owned()) {
                assertTrue(all.add(s), "shard " + s + " owned twice");
            }
        }
        assertEquals(IntStream.range(0, SHARDS).boxed().collect(Collectors.toSet()), all, "unowned shards");
        Map<String, Long> byStore = store.leases(SHARDS).stream().collect(Collectors.groupingBy(Lease::holder,
                Collectors.counting()));
        for (ShardKeeper r : replicas) {
            assertEquals((long) r.owned().size(), byStore.getOrDefault(r.instanceId(), 0L), r.instanceId());
        }
    }

    static void assertFairShares(List<ShardKeeper> replicas) {
        int fair = (SHARDS + replicas.size() - 1) / replicas.size();
        for (ShardKeeper r : replicas) {
            int n = r.owned().size();
            assertTrue(n <= fair && n >= SHARDS / replicas.size(), r.instanceId() + " owns " + n + " of " + SHARDS);
        }
    }

    void lapse(ShardKeeper dead) {
        Replicas.lapse(dataSource, dead.instanceId());
    }

    @Test
    void theScheduleRunsRoundsByItselfOnItsOwnThreadAndEndsWithTheProcess() throws Exception {
        AtomicLong nanos = new AtomicLong(TTL.toNanos()); // a round is due: none for longer than ttl / 3
        ShardKeeper alone = new ShardKeeper(store, "alone", SHARDS, TTL, registry, nanos::get, taken::add);
        alone.schedule();
        for (int i = 0; i < 200 && alone.owned().size() < SHARDS; i++) {
            Thread.sleep(50);
        }
        assertEquals(SHARDS, alone.owned().size(), "the first round claimed every shard, nobody calling renew()");

        alone.stop(null);
        assertEquals(Set.of(), alone.owned(), "shutdown gives the shards up");
        ShardKeeper next = replica("next");
        next.renew();
        assertEquals(SHARDS, next.owned().size(), "and in the store: the next replica claims them at once");
    }

    @Test
    void twoThenThreeReplicasSplitTheTargetsWithNoneOwnedTwiceAndNoneUnowned() {
        ShardKeeper a = replica("replica-a");
        assertTrue(a.renew());
        assertEquals(SHARDS, a.owned().size(), "the only replica owns every shard");

        ShardKeeper b = replica("replica-b");
        settle(List.of(a, b));
        assertEveryTargetHasOneOwner(List.of(a, b));
        assertFairShares(List.of(a, b));

        ShardKeeper c = replica("replica-c");
        settle(List.of(a, b, c));
        assertEveryTargetHasOneOwner(List.of(a, b, c));
        assertFairShares(List.of(a, b, c));
        assertEquals(3.0, registry.find("switchguard.shards.owned").gauges().size(), 0.0);
        assertEquals(c.owned().size(), registry.get("switchguard.shards.owned").tag("instance", "replica-c").gauge()
                .value(), 0.0);
    }

    @Test
    void aKilledReplicasShardsAreOwnedAgainAtTheFirstRoundAfterItsTtl() {
        ShardKeeper a = replica("replica-a");
        ShardKeeper b = replica("replica-b");
        ShardKeeper c = replica("replica-c");
        settle(List.of(a, b, c));
        SortedSet<Integer> orphaned = a.owned();
        assertFalse(orphaned.isEmpty());
        Map<Integer, Long> epochs = store.leases(SHARDS).stream().collect(Collectors.toMap(JdbcShardStore::shardNumber,
                Lease::epoch));
        taken.clear();

        // replica-a is killed: no more rounds, no release. Its TTL passes.
        lapse(a);
        // One round each of the survivors (a round runs every ttl / 3): every shard is owned again.
        b.renew();
        c.renew();
        assertEveryTargetHasOneOwner(List.of(b, c));
        assertFairShares(List.of(b, c));

        // Each orphaned shard is a new term (the dead owner's epoch is fenced off), and was reconciled on taking.
        for (Lease l : store.leases(SHARDS)) {
            int s = JdbcShardStore.shardNumber(l);
            if (orphaned.contains(s)) {
                assertEquals(epochs.get(s) + 1, l.epoch(), "shard " + s);
            }
        }
        assertEquals(orphaned, taken.stream().map(JdbcShardStore::shardNumber).collect(Collectors.toCollection(
                TreeSet::new)), "onTaken (reconciliation) for each shard taken over");
    }

    @Test
    void onJoinAShardWithADecisionInFlightIsKeptUntilTheDecisionEnds() {
        ShardKeeper a = replica("replica-a");
        a.renew();
        // A target of the shard a replica gives up first (the highest), so only the decision's hold can keep it.
        String busy = TARGETS.stream().filter(t -> ShardKeeper.shardOf(t, SHARDS) == SHARDS - 1).findFirst()
                .orElseThrow();
        int busyShard = ShardKeeper.shardOf(busy, SHARDS);
        ShardKeeper b = replica("replica-b");
        List<ShardKeeper> both = List.of(a, b);
        long epoch;
        // A decision on `busy` is in flight on replica-a (e.g. inside its synchronous switchover) while b joins.
        try (ShardKeeper.Turn turn = a.turn(busy)) {
            epoch = turn.term().orElseThrow().epoch();
            for (int round = 0; round < 5; round++) {
                both.forEach(ShardKeeper::renew);
            }
            assertTrue(a.owned().contains(busyShard), "the shard was given up during a decision");
            assertTrue(b.owned().size() > 0, "the newcomer got other shards meanwhile");
            assertEveryTargetHasOneOwner(both);
            // The in-flight action's fence is still the live term.
            Lease term = turn.term().orElseThrow();
            assertEquals(epoch, term.epoch());
            assertEquals(Integer.valueOf(1), new JdbcLeaseStore(dataSource, term.name()).fenced(term, c -> 1));
        }
        settle(both);
        assertEveryTargetHasOneOwner(both);
        assertFairShares(both);
    }

    @Test
    void anOwnerThatStalledPastItsTermIsFencedOnceAnotherReplicaTookTheShard() {
        ShardKeeper a = replica("replica-a");
        a.renew();
        String target = TARGETS.get(7);
        Lease stale;
        try (ShardKeeper.Turn turn = a.turn(target)) {
            stale = turn.term().orElseThrow();
        }
        // replica-a stalls past its TTL; replica-b takes over its shards.
        lapse(a);
        ShardKeeper b = replica("replica-b");
        b.renew();
        assertTrue(b.owns(target));
        Lease current = b.fence(ShardKeeper.shardOf(target, SHARDS)).orElseThrow();
        assertTrue(current.epoch() > stale.epoch());

        // replica-a wakes with the term it decided on: the store refuses its journal entry and its call.
        ActionStore journal = new JdbcActionStore(dataSource);
        assertThrows(FencedException.class, () -> JdbcActionStoreContract.openFenced(journal,
                JdbcActionStoreContract.action("a-stale", target, JdbcActionStoreContract.T0, null), stale));
        JdbcActionStoreContract.openFenced(journal, JdbcActionStoreContract.action("b-new", target,
                JdbcActionStoreContract.T0, null), current);
        assertEquals(List.of("b-new"), journal.list(target, 10).stream().map(io.switchguard.action.Action::actionId)
                .toList());
        // Its next round finds the shard gone.
        a.renew();
        assertFalse(a.owns(target));
        assertEveryTargetHasOneOwner(List.of(a, b));
    }

    @Test
    void replicasStartedWithAnotherShardCountActOnNothing() {
        ShardKeeper a = replica("replica-a");
        a.renew();
        ShardKeeper other = new ShardKeeper(store, "replica-other", SHARDS * 2, TTL, registry, System::nanoTime,
                l -> { });
        assertFalse(other.renew());
        assertTrue(other.owned().isEmpty());
        assertEquals(SHARDS, a.owned().size());
    }

    @Test
    void aSingleProcessOnTheH2FileStoreOwnsEveryShard() {
        JdbcConnectionPool h2 = JdbcConnectionPool.create("jdbc:h2:mem:shards;DB_CLOSE_DELAY=-1", "sa", "");
        try {
            Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
            ShardKeeper only = new ShardKeeper(new JdbcShardStore(h2), "only", 32, TTL, registry, System::nanoTime,
                    l -> { });
            assertTrue(only.renew());
            assertEquals(32, only.owned().size());
            assertTrue(TARGETS.stream().allMatch(only::owns));
            only.standDown();
            assertTrue(only.owned().isEmpty());
            assertTrue(new JdbcShardStore(h2).members().live().isEmpty());
        } finally {
            h2.dispose();
        }
    }

    @Test
    void everyShardGetsTargets() {
        int[] spread = new int[SHARDS];
        TARGETS.forEach(t -> spread[ShardKeeper.shardOf(t, SHARDS)]++);
        assertTrue(java.util.Arrays.stream(spread).allMatch(n -> n > 0), java.util.Arrays.toString(spread));
    }
}
