package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leadership as one replica sees it: taken and kept through the store, lost locally when renewals stop. */
class LeaseKeeperTest {

    static final Duration TTL = Duration.ofSeconds(15);

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JdbcConnectionPool pool;
    LeaseStore leases;

    @BeforeEach
    void start() {
        pool = JdbcConnectionPool.create("jdbc:h2:mem:lease-keeper;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        leases = new JdbcLeaseStore(pool, LeaseStore.CHECKER);
    }

    @AfterEach
    void stop() throws Exception {
        try (var c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        pool.dispose();
    }

    LeaseKeeper keeper(String id, LeaseStore store) {
        return new LeaseKeeper(store, id, TTL, registry, nanos::get);
    }

    /** The test's store, its renewals answered by {@code renew}. */
    LeaseStore renewingWith(java.util.function.BiFunction<String, Duration, Lease> renew) {
        return new LeaseStore() {
            @Override
            public Lease acquireOrRenew(String holder, Duration ttl) {
                return renew.apply(holder, ttl);
            }

            @Override
            public Optional<Lease> current() {
                return leases.current();
            }

            @Override
            public Optional<Lease> live() {
                return leases.live();
            }

            @Override
            public void release(String holder) {
                leases.release(holder);
            }

            @Override
            public <T> T fenced(Lease lease, FencedWrite<T> write) {
                return leases.fenced(lease, write);
            }
        };
    }

    double leaderGauge(String id) {
        return registry.get("switchguard.leader").tag("instance", id).gauge().value();
    }

    @Test
    void theFirstReplicaLeadsAndTheSecondFollows() {
        LeaseKeeper a = keeper("replica-a", leases);
        LeaseKeeper b = keeper("replica-b", leases);

        assertTrue(a.renew());
        assertFalse(b.renew());

        assertTrue(a.isLeader());
        assertFalse(b.isLeader());
        assertEquals(Optional.of("replica-a"), b.lease().map(Lease::holder));
        assertEquals(1.0, leaderGauge("replica-a"));
        assertEquals(0.0, leaderGauge("replica-b"));
    }

    @Test
    void theFenceIsOnlyEverThisReplicasOwnLiveTerm() {
        LeaseKeeper a = keeper("replica-a", leases);
        LeaseKeeper b = keeper("replica-b", leases);
        assertTrue(a.renew());
        assertFalse(b.renew());

        // b has seen a's lease, but a fence it may act under it has not: another replica's term is never one.
        assertEquals(Optional.of("replica-a"), b.lease().map(Lease::holder));
        assertEquals(Optional.empty(), b.leadership());
        Lease term = a.leadership().orElseThrow();
        assertEquals("replica-a", term.holder());

        // Once a's local estimate of its term runs out, it has no fence either, whatever it last read.
        nanos.addAndGet(LeaseKeeper.margined(TTL).toNanos());
        assertEquals(Optional.empty(), a.leadership());
        assertTrue(a.lease().isPresent());
    }

    @Test
    void leadershipEndsLocallyBeforeTheDatabaseExpiryWhenRenewalsStop() {
        LeaseKeeper a = keeper("replica-a", leases);
        assertTrue(a.renew());

        nanos.addAndGet(LeaseKeeper.margined(TTL).toNanos() - 1);
        assertTrue(a.isLeader());
        nanos.addAndGet(1);

        assertFalse(a.isLeader());
        assertEquals(Duration.ofSeconds(13), LeaseKeeper.margined(TTL));
        assertEquals(Duration.ofMillis(240), LeaseKeeper.margined(Duration.ofMillis(300)));
    }

    /**
     * The scheduler's first ticks come before the start-up observers, the store's migration among them: on a fresh
     * PostgreSQL each replica of bench/shards.sh logged "relation leases does not exist" and counted a failed
     * renewal before its own migration had run. The keeper renews only once the application has started.
     */
    @Test
    void aTickBeforeStartUpAsksNothingOfTheStoreNotYetMigrated() {
        boolean[] migrated = {false};
        int[] asked = {0};
        LeaseStore unmigrated = renewingWith((holder, ttl) -> {
            asked[0]++;
            if (!migrated[0]) {
                throw new StoreException("relation \"leases\" does not exist");
            }
            return leases.acquireOrRenew(holder, ttl);
        });
        LeaseKeeper a = keeper("replica-a", unmigrated);
        nanos.set(Duration.ofHours(1).toNanos()); // a monotonic clock long past zero, as System.nanoTime

        a.tick();
        assertEquals(0, asked[0], "renewals asked of the store before start-up");
        assertEquals(0.0, registry.get("switchguard.lease.renew.failures").tag("instance", "replica-a").counter().count());

        migrated[0] = true;
        a.start(new io.quarkus.runtime.StartupEvent());
        assertTrue(a.isLeader());
        assertEquals(1, asked[0]);
    }

    @Test
    void aStoreFailureIsCountedAndLeadershipRunsOutOnItsOwn() {
        boolean[] down = {false};
        LeaseStore flaky = renewingWith((holder, ttl) -> {
            if (down[0]) {
                throw new StoreException("connection refused");
            }
            return leases.acquireOrRenew(holder, ttl);
        });
        LeaseKeeper a = keeper("replica-a", flaky);
        assertTrue(a.renew());
        down[0] = true;

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertTrue(a.renew(), "still within the term renewed 5 s ago");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());

        assertFalse(a.renew());
        assertEquals(2.0, registry.get("switchguard.lease.renew.failures").tag("instance", "replica-a").counter().count());
    }

    @Test
    void releaseHandsTheLeaseOverAtOnceWithAHigherEpoch() {
        LeaseKeeper a = keeper("replica-a", leases);
        LeaseKeeper b = keeper("replica-b", leases);
        assertTrue(a.renew());
        long epoch = a.lease().orElseThrow().epoch();

        a.release();

        assertFalse(a.isLeader());
        assertTrue(b.renew());
        assertEquals(epoch + 1, b.lease().orElseThrow().epoch());
    }
}
