package io.switchguard.store;

import static io.switchguard.store.JdbcActionStoreContract.RACERS;
import static io.switchguard.store.JdbcActionStoreContract.T0;
import static io.switchguard.store.JdbcActionStoreContract.action;
import static io.switchguard.store.JdbcActionStoreContract.ids;
import static io.switchguard.store.JdbcActionStoreContract.race;
import static io.switchguard.store.JdbcActionStoreContract.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.store.JdbcActionStoreContract.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database behind {@link JdbcLeaseStore} must do: one leader at a time by the database
 * clock, epochs that only grow, and fencing that stops an old leader from journaling once a new term
 * began. A subclass per database supplies a fresh, empty database per test.
 */
abstract class LeaseStoreContract {

    static final Duration SHORT = Duration.ofMillis(300);
    static final Duration LONG = Duration.ofMinutes(1);

    private DataSource dataSource;
    LeaseStore leases;
    ActionStore journal;

    /** A new DataSource on this test's database. */
    protected abstract DataSource openDataSource() throws SQLException;

    protected abstract void closeDataSource(DataSource dataSource) throws SQLException;

    @BeforeEach
    void start() throws SQLException {
        dataSource = openDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        leases = new JdbcLeaseStore(dataSource, LeaseStore.CHECKER);
        journal = new JdbcActionStore(dataSource);
    }

    @AfterEach
    void stop() throws SQLException {
        closeDataSource(dataSource);
    }

    // --- taking and keeping the lease ---

    @Test
    void theFirstHolderTakesEpochOneByTheDatabaseClock() throws SQLException {
        assertEquals(Optional.empty(), leases.current());

        Lease lease = leases.acquireOrRenew("replica-a", LONG);

        assertTrue(lease.heldBy("replica-a"));
        assertEquals(LeaseStore.CHECKER, lease.name());
        assertEquals(1, lease.epoch());
        assertEquals(LONG, Duration.between(lease.since(), lease.expiresAt()));
        assertEquals(Optional.of(lease), leases.current());
        assertEquals(Optional.of(lease), leases.live());
        assertEquals(databaseNow().getEpochSecond(), lease.since().getEpochSecond(), 5.0);
    }

    @Test
    void racingFirstTakersLetExactlyOneWin() throws Exception {
        assertExactlyOneWinner(race(i -> leases.acquireOrRenew("replica-" + i, LONG)), 1);
    }

    @Test
    void racingTakersOfAnExpiredLeaseLetExactlyOneWinWithTheNextEpoch() throws Exception {
        leases.acquireOrRenew("crashed", Duration.ofMillis(1));
        sleep(Duration.ofMillis(20));

        assertExactlyOneWinner(race(i -> leases.acquireOrRenew("replica-" + i, LONG)), 2);
    }

    @Test
    void theHolderRenewsAndKeepsItsEpoch() {
        Lease first = leases.acquireOrRenew("replica-a", SHORT);

        Lease renewed = leases.acquireOrRenew("replica-a", LONG);
        sleep(SHORT.plusMillis(200));

        assertTrue(renewed.heldBy("replica-a"));
        assertEquals(first.epoch(), renewed.epoch());
        assertEquals(first.since(), renewed.since());
        assertTrue(renewed.expiresAt().isAfter(first.expiresAt()));
        assertEquals(renewed, leases.acquireOrRenew("replica-b", LONG));
        assertEquals(first.epoch(), leases.acquireOrRenew("replica-a", LONG).epoch());
    }

    @Test
    void anotherHolderCannotTakeALiveLease() {
        Lease held = leases.acquireOrRenew("replica-a", LONG);

        Lease seen = leases.acquireOrRenew("replica-b", LONG);

        assertEquals(held, seen);
        assertFalse(seen.heldBy("replica-b"));
    }

    @Test
    void afterExpiryAnotherHolderTakesOverWithAHigherEpoch() {
        Lease old = leases.acquireOrRenew("replica-a", SHORT);
        sleep(SHORT.plusMillis(100));
        assertEquals(Optional.empty(), leases.live());
        assertEquals(Optional.of(old), leases.current());

        Lease taken = leases.acquireOrRenew("replica-b", LONG);

        assertTrue(taken.heldBy("replica-b"));
        assertEquals(old.epoch() + 1, taken.epoch());
        assertTrue(taken.since().isAfter(old.expiresAt()) || taken.since().equals(old.expiresAt()));
        assertEquals(taken, leases.acquireOrRenew("replica-a", LONG));
    }

    @Test
    void aHolderWhoseLeaseLapsedComesBackWithANewEpoch() {
        Lease old = leases.acquireOrRenew("replica-a", SHORT);
        sleep(SHORT.plusMillis(100));

        Lease back = leases.acquireOrRenew("replica-a", LONG);

        assertTrue(back.heldBy("replica-a"));
        assertEquals(old.epoch() + 1, back.epoch());
        assertThrows(FencedException.class, () -> JdbcActionStoreContract.openFenced(journal, action("a-1", "orders-cache", T0, null), old));
        JdbcActionStoreContract.openFenced(journal, action("a-2", "orders-cache", T0, null), back);
        assertEquals(List.of("a-2"), ids(journal.list(null, 10)));
    }

    @Test
    void releaseLetsAnotherHolderTakeOverAtOnceAndNeverReusesAnEpoch() {
        Lease first = leases.acquireOrRenew("replica-a", LONG);

        leases.release("replica-b");
        assertEquals(first, leases.acquireOrRenew("replica-b", LONG));

        leases.release("replica-a");
        assertEquals(Optional.empty(), leases.live());
        Lease second = leases.acquireOrRenew("replica-b", LONG);

        assertTrue(second.heldBy("replica-b"));
        assertEquals(first.epoch() + 1, second.epoch());
        assertThrows(FencedException.class, () -> leases.fenced(first, c -> null));
    }

    @Test
    void aLeaseNeedsAPositiveTtl() {
        assertThrows(IllegalArgumentException.class, () -> leases.acquireOrRenew("replica-a", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> leases.acquireOrRenew("replica-a", Duration.ofSeconds(-1)));
    }

    // --- fencing ---

    @Test
    void theLiveTermJournalsThroughTheFence() {
        Lease lease = leases.acquireOrRenew("replica-a", LONG);

        JdbcActionStoreContract.openFenced(journal, action("a-1", "orders-cache", T0, "req-1"), lease);

        assertEquals("a-1", journal.findByRequestId("req-1").orElseThrow().actionId());
        assertEquals("written", leases.fenced(lease, c -> "written"));
    }

    @Test
    void aPausedOldLeaderIsFencedOffAndJournalsNothing() {
        Lease old = leases.acquireOrRenew("replica-a", SHORT);
        // replica-a pauses (GC, VM freeze, partition) past its expiry; replica-b takes over.
        sleep(SHORT.plusMillis(100));
        Lease current = leases.acquireOrRenew("replica-b", LONG);
        assertEquals(old.epoch() + 1, current.epoch());

        FencedException refused = assertThrows(FencedException.class,
                () -> JdbcActionStoreContract.openFenced(journal, action("a-old", "orders-cache", T0, "req-old"), old));

        assertEquals(old, refused.stale());
        assertEquals(Optional.empty(), journal.find("a-old"));
        assertEquals(Optional.empty(), journal.findByRequestId("req-old"));
        assertEquals(List.of(), journal.list(null, 10));
        assertThrows(FencedException.class, () -> leases.fenced(old, c -> insertMarker(c, "old")));
        assertEquals(List.of(), markers());
    }

    @Test
    void anExpiredTermIsFencedOffEvenBeforeAnyoneTakesOver() {
        Lease old = leases.acquireOrRenew("replica-a", SHORT);
        sleep(SHORT.plusMillis(100));

        assertThrows(FencedException.class,
                () -> JdbcActionStoreContract.openFenced(journal, action("a-old", "orders-cache", T0, null), old));
        assertEquals(List.of(), journal.list(null, 10));
    }

    @Test
    void aForgedTermOfTheRightEpochButAnotherHolderIsFencedOff() {
        Lease lease = leases.acquireOrRenew("replica-a", LONG);
        Lease forged = new Lease(lease.name(), "replica-b", lease.epoch(), lease.since(), lease.expiresAt());

        assertThrows(FencedException.class,
                () -> JdbcActionStoreContract.openFenced(journal, action("a-1", "orders-cache", T0, null), forged));
        assertEquals(List.of(), journal.list(null, 10));
    }

    @Test
    void concurrentFencedWritesOfOldAndNewLeaderLetOnlyTheNewOnesLand() throws Exception {
        Lease old = leases.acquireOrRenew("replica-a", SHORT);
        sleep(SHORT.plusMillis(100));
        Lease current = leases.acquireOrRenew("replica-b", LONG);

        List<Outcome<String>> outcomes = race(i -> {
            Lease mine = i % 2 == 0 ? old : current;
            JdbcActionStoreContract.openFenced(journal, action("a-" + i, "t-" + i, T0, null), mine);
            return "a-" + i;
        });

        for (int i = 0; i < outcomes.size(); i++) {
            Outcome<String> o = outcomes.get(i);
            if (i % 2 == 0) {
                assertTrue(o.error() instanceof FencedException, () -> "old leader's write: " + o);
            } else {
                assertNull(o.error(), () -> "new leader's write: " + o);
            }
        }
        List<String> landed = journal.list(null, 100).stream().map(a -> a.actionId()).sorted().toList();
        List<String> expected = java.util.stream.IntStream.range(0, RACERS).filter(i -> i % 2 == 1)
                .mapToObj(i -> "a-" + i).sorted().toList();
        assertEquals(expected, landed);
    }

    /**
     * The fence holds the lease row for its whole transaction: a write checked while its term was live
     * commits before any takeover, never after one (no interleaving of two terms' writes).
     */
    @Test
    void aTakeoverWaitsForAFencedWriteInFlight() throws Exception {
        Lease old = leases.acquireOrRenew("replica-a", SHORT);
        CountDownLatch checked = new CountDownLatch(1);
        CompletableFuture<Long> oldWrite = CompletableFuture.supplyAsync(() -> leases.fenced(old, c -> {
            checked.countDown();
            // Still writing when the term runs out.
            sleep(SHORT.plusMillis(200));
            insertMarker(c, "old");
            return System.nanoTime();
        }));
        assertTrue(checked.await(10, TimeUnit.SECONDS));
        sleep(SHORT.plusMillis(50));

        Lease taken = leases.acquireOrRenew("replica-b", LONG);
        long takenAt = System.nanoTime();

        long oldCommittedAt = oldWrite.get(10, TimeUnit.SECONDS);
        assertTrue(oldCommittedAt < takenAt, "the takeover returned before the in-flight fenced write finished");
        assertEquals(old.epoch() + 1, taken.epoch());
        assertEquals(List.of("old"), markers());
        assertThrows(FencedException.class, () -> leases.fenced(old, c -> insertMarker(c, "old-again")));
        leases.fenced(taken, c -> insertMarker(c, "new"));
        assertEquals(List.of("new", "old"), markers());
    }

    // --- helpers ---

    /** Any write under a fence; the journal's action table serves as a plain table. */
    private static Void insertMarker(java.sql.Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO target_locks (target, owner, acquired_at,"
                + " expires_at) VALUES (?, 'marker', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        return null;
    }

    private List<String> markers() {
        try (var c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT target FROM target_locks WHERE owner = 'marker' ORDER BY target");
                ResultSet rs = ps.executeQuery()) {
            List<String> found = new java.util.ArrayList<>();
            while (rs.next()) {
                found.add(rs.getString(1));
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private java.time.Instant databaseNow() throws SQLException {
        try (var c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    private static void assertExactlyOneWinner(List<Outcome<Lease>> outcomes, long epoch) {
        for (Outcome<Lease> o : outcomes) {
            assertNull(o.error(), () -> "racer failed: " + o.error());
        }
        List<Integer> winners = java.util.stream.IntStream.range(0, outcomes.size())
                .filter(i -> outcomes.get(i).value().heldBy("replica-" + i)).boxed().toList();
        assertEquals(1, winners.size(), () -> "winners: " + winners + " of " + outcomes);
        Lease won = outcomes.get(winners.get(0)).value();
        assertEquals(epoch, won.epoch());
        for (Outcome<Lease> o : outcomes) {
            assertEquals(won, o.value(), "every racer sees the winner's lease");
        }
    }
}
