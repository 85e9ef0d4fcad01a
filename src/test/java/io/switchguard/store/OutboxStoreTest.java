package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.store.OutboxEntry.State;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on the default store (an H2 file, fresh per test): same-transaction writes, claims, order, dead letters. */
class OutboxStoreTest {

    static final List<String> SINKS = List.of("webhook", "smn");
    static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path dir;

    JdbcConnectionPool pool;
    OutboxStore outbox;
    JdbcActionStore journal;
    final AtomicInteger wakeUps = new AtomicInteger();

    @BeforeEach
    void open() {
        pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchguard"), "sa", "");
        pool.setMaxConnections(40);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        outbox = new OutboxStore(pool, SINKS, "/switchguard/test");
        outbox.onEnqueued(wakeUps::incrementAndGet);
        journal = new JdbcActionStore(pool, outbox);
    }

    @AfterEach
    void close() throws SQLException {
        shutdown(pool);
    }

    static void shutdown(JdbcConnectionPool pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        pool.dispose();
    }

    static OutboxEvent event(String id, String target) {
        return new OutboxEvent(id, "io.switchguard.action.succeeded", target, T0, "{\"actionId\":\"" + id + "\"}");
    }

    List<OutboxEntry> claim(String owner, int limit) {
        return outbox.claim(owner, LEASE, limit, SINKS);
    }

    static List<String> keys(List<OutboxEntry> entries) {
        return entries.stream().map(e -> e.eventId() + "/" + e.sink()).toList();
    }

    // --- written with the journal ---

    @Test
    void beginWritesOneRowPerSinkWithTheJournalEntry() {
        Action a = JdbcActionStoreContract.action("a-1", "orders-cache", T0, null);
        journal.begin(a, event("e-1", "orders-cache"));

        List<OutboxEntry> rows = outbox.find("e-1");
        assertEquals(List.of("webhook", "smn"), rows.stream().map(OutboxEntry::sink).toList());
        OutboxEntry row = rows.get(0);
        assertEquals(State.PENDING, row.state());
        assertEquals(0, row.attempts());
        assertEquals("/switchguard/test", row.source());
        assertEquals(event("e-1", "orders-cache"), row.event());
        assertEquals(1, wakeUps.get());
    }

    @Test
    void updateWritesItsEventAndAnUpdateOfNoActionWritesNone() {
        journal.begin(JdbcActionStoreContract.action("a-1", "orders-cache", T0, null));
        assertEquals(0, wakeUps.get());
        Action done = new Action("a-1", "orders-cache", "dcs", "swap", "manual", ActionStatus.SUCCEEDED,
                Verification.VERIFIED, null, "roles traded", null, false, false, T0, T0.plusSeconds(2), null, null,
                null, List.of());
        journal.update(done, event("e-done", "orders-cache"));
        assertEquals(2, outbox.find("e-done").size());

        Action ghost = JdbcActionStoreContract.action("a-ghost", "orders-cache", T0, null);
        assertThrows(IllegalArgumentException.class, () -> journal.update(ghost, event("e-ghost", "orders-cache")));
        assertEquals(List.of(), outbox.find("e-ghost"), "the event of an update that did not happen is rolled back");
    }

    @Test
    void aJournalEntryThatFailsLeavesNoEvent() {
        journal.begin(JdbcActionStoreContract.action("a-1", "orders-cache", T0, "req-1"), event("e-1", "orders-cache"));
        assertThrows(DuplicateRequestIdException.class, () -> journal.begin(
                JdbcActionStoreContract.action("a-2", "orders-cache", T0, "req-1"), event("e-2", "orders-cache")));
        assertEquals(List.of(), outbox.find("e-2"));
        assertTrue(journal.find("a-2").isEmpty());
    }

    @Test
    void anOutboxFailureRollsTheJournalEntryBack() {
        journal.begin(JdbcActionStoreContract.action("a-1", "orders-cache", T0, null), event("e-1", "orders-cache"));
        // The same event id again violates the outbox's unique key: the action must not be journaled either.
        assertThrows(StoreException.class, () -> journal.begin(
                JdbcActionStoreContract.action("a-2", "orders-cache", T0, null), event("e-1", "orders-cache")));
        assertTrue(journal.find("a-2").isEmpty());
    }

    @Test
    void withoutSinksNothingIsKept() {
        OutboxStore none = new OutboxStore(pool, List.of(), "/switchguard/test");
        new JdbcActionStore(pool, none).begin(JdbcActionStoreContract.action("a-1", "t", T0, null), event("e-1", "t"));
        none.enqueue(event("e-2", "t"));
        assertEquals(List.of(), outbox.find("e-1"));
        assertEquals(List.of(), outbox.find("e-2"));
    }

    @Test
    void enqueueStandsAloneForTargetHealthEvents() {
        outbox.enqueue(new OutboxEvent("h-1", "io.switchguard.target.unhealthy", "orders-cache", T0, "{\"failures\":3}"));
        assertEquals(2, outbox.find("h-1").size());
        assertEquals(1, wakeUps.get());
    }

    // --- claiming ---

    @Test
    void aClaimedRowIsNotClaimedAgainUntilItsClaimExpires() throws Exception {
        outbox.enqueue(event("e-1", "orders-cache"));
        assertEquals(List.of("e-1/webhook", "e-1/smn"), keys(outbox.claim("one", Duration.ofMillis(300), 10, SINKS)));
        assertEquals(List.of(), keys(claim("two", 10)));
        Thread.sleep(400);
        assertEquals(List.of("e-1/webhook", "e-1/smn"), keys(claim("two", 10)), "a crashed sender's claim lapses");
        assertFalse(outbox.delivered(outbox.find("e-1").get(0), "one"), "the first owner lost its claim");
        assertTrue(outbox.delivered(outbox.find("e-1").get(0), "two"));
    }

    @Test
    void claimsOnlyTheAskedSinks() {
        outbox.enqueue(event("e-1", "orders-cache"));
        assertEquals(List.of("e-1/smn"), keys(outbox.claim("one", LEASE, 10, List.of("smn"))));
    }

    @Test
    void concurrentClaimersNeverShareARow() throws Exception {
        int targets = 60;
        for (int i = 0; i < targets; i++) {
            outbox.enqueue(event("e-" + i, "t-" + i));
        }
        int racers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger claimedSoFar = new AtomicInteger();
        List<Future<List<OutboxEntry>>> results = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
            String owner = "owner-" + r;
            Callable<List<OutboxEntry>> claimer = () -> {
                go.await();
                List<OutboxEntry> mine = new ArrayList<>();
                for (int round = 0; round < 200 && claimedSoFar.get() < 2 * targets; round++) {
                    List<OutboxEntry> got = claim(owner, 4);
                    claimedSoFar.addAndGet(got.size());
                    mine.addAll(got);
                }
                return mine;
            };
            results.add(pool.submit(claimer));
        }
        go.countDown();
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (Future<List<OutboxEntry>> f : results) {
            for (String key : keys(f.get())) {
                assertTrue(seen.add(key), "claimed twice: " + key);
                total++;
            }
        }
        pool.shutdown();
        assertEquals(2 * targets, total, "every row claimed exactly once");
    }

    // --- order per target ---

    @Test
    void aTargetsLaterEventWaitsForItsEarlierOnePerSink() {
        outbox.enqueue(event("a-1", "cache"));
        outbox.enqueue(event("a-2", "cache"));
        outbox.enqueue(event("b-1", "db"));

        List<OutboxEntry> first = claim("one", 10);
        assertEquals(List.of("a-1/webhook", "a-1/smn", "b-1/webhook", "b-1/smn"), keys(first));
        assertEquals(List.of(), keys(claim("two", 10)), "a-2 waits while a-1 is in flight, on any replica");

        // a-1 fails on the webhook and goes into backoff: a-2 still waits there; on SMN a-1 got through, a-2 follows.
        assertEquals(Optional.of(State.PENDING),
                outbox.failed(first.get(0), "one", "HTTP 500", Duration.ofMinutes(1), DAY));
        assertTrue(outbox.delivered(first.get(1), "one"));
        assertEquals(List.of("a-2/smn"), keys(claim("two", 10)));
    }

    @Test
    void aFailedAttemptIsDueAgainAfterItsBackoff() throws Exception {
        outbox.enqueue(event("e-1", "cache"));
        OutboxEntry row = outbox.claim("one", LEASE, 10, List.of("webhook")).get(0);
        assertEquals(Optional.of(State.PENDING), outbox.failed(row, "one", "HTTP 503", Duration.ofMillis(400), DAY));

        OutboxEntry after = outbox.find("e-1").get(0);
        assertEquals(1, after.attempts());
        assertEquals("HTTP 503", after.lastError());
        assertEquals(List.of(), keys(outbox.claim("one", LEASE, 10, List.of("webhook"))));
        Thread.sleep(500);
        List<OutboxEntry> again = outbox.claim("one", LEASE, 10, List.of("webhook"));
        assertEquals(List.of("e-1/webhook"), keys(again));
        assertEquals(1, again.get(0).attempts());
    }

    // --- dead letters ---

    @Test
    void aRowPastMaxAgeIsDeadAndNoLongerHoldsItsQueue() throws Exception {
        outbox.enqueue(event("a-1", "cache"));
        outbox.enqueue(event("a-2", "cache"));
        Duration maxAge = Duration.ofMillis(300);
        OutboxEntry head = outbox.claim("one", LEASE, 1, List.of("webhook")).get(0);
        assertEquals(Optional.of(State.PENDING), outbox.failed(head, "one", "HTTP 500", Duration.ofMinutes(5), maxAge));
        // The last retry is brought forward to the max age, not left 5 minutes out.
        OutboxEntry waiting = outbox.find("a-1").get(0);
        assertEquals(waiting.createdAt().plus(maxAge), waiting.nextAttemptAt());

        Thread.sleep(400);
        head = outbox.claim("one", LEASE, 1, List.of("webhook")).get(0);
        assertEquals("a-1", head.eventId());
        assertEquals(Optional.of(State.DEAD), outbox.failed(head, "one", "HTTP 500", Duration.ofMinutes(5), maxAge));

        OutboxEntry dead = outbox.find("a-1").get(0);
        assertEquals(State.DEAD, dead.state());
        assertEquals(2, dead.attempts());
        assertEquals("HTTP 500", dead.lastError());
        assertEquals(List.of("a-1"), outbox.list(State.DEAD, 10).stream().map(OutboxEntry::eventId).toList());
        assertEquals(1L, outbox.counts().get("webhook").get(State.DEAD));
        assertEquals(List.of("a-2/webhook"), keys(outbox.claim("one", LEASE, 10, List.of("webhook"))),
                "the dead row lets the next event of its target through");
    }

    @Test
    void releaseGivesAStoppingOwnersClaimsBack() {
        outbox.enqueue(event("e-1", "cache"));
        assertEquals(2, claim("one", 10).size());
        assertEquals(2, outbox.release("one"));
        assertEquals(2, claim("two", 10).size());
    }

    @Test
    void pendingCountsOnlyRowsStillToSendPerSink() {
        outbox.enqueue(event("e-1", "cache"));
        outbox.enqueue(event("e-2", "db"));
        OutboxEntry first = outbox.claim("one", LEASE, 1, List.of("webhook")).get(0);
        outbox.delivered(first, "one");
        claim("two", 10); // claimed rows are still pending

        assertEquals(Map.of("webhook", 1L, "smn", 2L), outbox.pending());
        assertEquals(1L, outbox.counts().get("webhook").get(State.DELIVERED));
    }

    @Test
    void purgeDeletesOnlyFinishedRows() throws Exception {
        outbox.enqueue(event("e-1", "cache"));
        outbox.enqueue(event("e-2", "db"));
        List<OutboxEntry> rows = outbox.claim("one", LEASE, 10, List.of("webhook"));
        outbox.delivered(rows.get(0), "one");
        Thread.sleep(20);
        assertEquals(1, outbox.purge(Duration.ofMillis(10)));
        assertEquals(List.of("smn"), outbox.find("e-1").stream().map(OutboxEntry::sink).toList());
        assertEquals(2, outbox.find("e-2").size());
    }

    // --- handed to this process's sender with the insert ---

    @Test
    void anEventWithNothingPendingBeforeItIsClaimedForTheSenderInItsOwnTransaction() {
        List<OutboxEntry> taken = new ArrayList<>();
        outbox.handOff("replica-a", LEASE, h -> taken.add(h.row()));
        journal.begin(JdbcActionStoreContract.action("a-1", "orders-cache", T0, null), event("e-1", "orders-cache"));

        assertEquals(List.of("e-1/webhook", "e-1/smn"), keys(taken), "handed to the sender after the commit");
        assertEquals(event("e-1", "orders-cache"), taken.get(0).event());
        assertEquals(outbox.find("e-1").get(0).seq(), taken.get(0).seq());
        assertEquals(List.of(), keys(claim("replica-b", 10)), "claimed with the insert: nobody else sends it");
        assertEquals(0, wakeUps.get(), "nothing left for a poll");
        assertTrue(outbox.delivered(taken.get(0), "replica-a"), "the claim is the sender's");
    }

    @Test
    void aTargetsEventBehindAPendingOneIsLeftToThePollInOrder() {
        List<OutboxEntry> taken = new ArrayList<>();
        outbox.handOff("replica-a", LEASE, h -> taken.add(h.row()));
        outbox.enqueue(event("e-1", "orders-cache"));
        outbox.enqueue(event("e-2", "orders-cache"));
        outbox.enqueue(event("e-3", "payments-cache"));

        assertEquals(List.of("e-1/webhook", "e-1/smn", "e-3/webhook", "e-3/smn"), keys(taken));
        assertEquals(1, wakeUps.get(), "e-2 woke the poll");
        assertEquals(List.of(), keys(claim("replica-a", 10)), "e-2 waits for e-1");
        taken.forEach(e -> assertTrue(outbox.delivered(e, "replica-a")));
        assertEquals(List.of("e-2/webhook", "e-2/smn"), keys(claim("replica-a", 10)));
    }

    @Test
    void aClosingSenderEndsOnlyItsOwnHandOff() {
        List<OutboxEntry> taken = new ArrayList<>();
        outbox.handOff("replica-a", LEASE, h -> taken.add(h.row()));
        outbox.handOff("replica-b", LEASE, h -> taken.add(h.row()));
        outbox.endHandOff("replica-a");
        outbox.enqueue(event("e-1", "orders-cache"));
        assertEquals(List.of("e-1/webhook", "e-1/smn"), keys(taken), "still handed to replica-b");

        outbox.endHandOff("replica-b");
        outbox.enqueue(event("e-2", "payments-cache"));
        assertEquals(2, taken.size(), "no hand-off once it ended");
        assertEquals(List.of("e-2/webhook", "e-2/smn"), keys(claim("replica-c", 10)), "left to the poll");
    }

    @Test
    void aHandedEventWhoseSenderDiedIsSentOnceItsClaimLapses() throws Exception {
        outbox.handOff("crashed-owner", Duration.ofMillis(300), e -> {});
        journal.begin(JdbcActionStoreContract.action("a-1", "cache", T0, null), event("e-1", "cache"));
        assertEquals(List.of(), keys(claim("replica-b", 10)));
        shutdown(pool);

        open();
        Thread.sleep(400);
        assertEquals(List.of("e-1/webhook", "e-1/smn"), keys(claim("replica-b", 10)), "at-least-once");
    }

    // --- restarts ---

    @Test
    void pendingRowsSurviveARestartAndACrashedSendersClaimLapses() throws Exception {
        journal.begin(JdbcActionStoreContract.action("a-1", "cache", T0, null), event("e-1", "cache"));
        outbox.claim("crashed-owner", Duration.ofMillis(300), 10, SINKS);
        shutdown(pool);

        open();
        assertEquals(List.of(State.PENDING, State.PENDING), outbox.find("e-1").stream().map(OutboxEntry::state).toList());
        Thread.sleep(400);
        assertEquals(List.of("e-1/webhook", "e-1/smn"), keys(claim("restarted", 10)));
    }
}
