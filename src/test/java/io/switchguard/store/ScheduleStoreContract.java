package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.drill.DrillPlan;
import io.switchguard.drill.DrillPlanStore;
import io.switchguard.drill.Schedule;
import io.switchguard.drill.ScheduleStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule store's contract, the same on H2 and PostgreSQL: a due schedule is claimed by exactly one of many
 * racers, nothing is due before its time, past the grace it is missed and never claimed, only a pending one is
 * cancelled, a stale claim is claimed again and only the current claimer finishes it; a due drill plan is
 * advanced (claimed) by exactly one racer.
 */
abstract class ScheduleStoreContract {

    static final Duration GRACE = Duration.ofMinutes(5);
    static final Duration STALE = Duration.ofMinutes(5);

    private DataSource dataSource;
    ScheduleStore store;

    protected abstract DataSource openDataSource() throws SQLException;

    protected abstract void closeDataSource(DataSource dataSource) throws SQLException;

    @BeforeEach
    void start() throws SQLException {
        dataSource = openDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new ScheduleStore(dataSource);
    }

    @AfterEach
    void stop() throws SQLException {
        closeDataSource(dataSource);
    }

    Schedule at(Instant at) {
        String id = "sch-" + UUID.randomUUID();
        Schedule s = new Schedule(id, "orders-cache", at, "patch window", id, Schedule.State.PENDING, Instant.now(),
                "key-aaaaaa", null, null, null, null, null, null);
        assertTrue(store.create(s));
        return s;
    }

    @Test
    void aDueScheduleIsClaimedByExactlyOneOfManyRacers() {
        Schedule s = at(Instant.now().minusSeconds(1));
        int racers = JdbcActionStoreContract.RACERS;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<CompletableFuture<Boolean>> claims = IntStream.range(0, racers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return store.claim(s.id(), "replica-" + i, GRACE, STALE);
                    }, pool)).toList();
            go.countDown();
            assertEquals(1, claims.stream().filter(CompletableFuture::join).count());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Schedule.State.RUNNING, store.find(s.id()).orElseThrow().state());
    }

    @Test
    void nothingIsDueBeforeItsTime() {
        Schedule s = at(Instant.now().plusSeconds(3600));
        assertTrue(store.due(STALE).isEmpty());
        assertFalse(store.claim(s.id(), "replica-a", GRACE, STALE));
        assertEquals(Schedule.State.PENDING, store.find(s.id()).orElseThrow().state());
    }

    @Test
    void pastTheGraceAScheduleIsMissedAndNeverClaimed() {
        Schedule late = at(Instant.now().minus(GRACE).minusSeconds(60));
        Schedule onTime = at(Instant.now().minusSeconds(30));
        assertEquals(List.of(late.id(), onTime.id()), store.due(STALE).stream().map(Schedule::id).toList());
        assertFalse(store.claim(late.id(), "replica-a", GRACE, STALE));
        assertFalse(store.miss(onTime.id(), GRACE, "missed"), "within the grace it still runs");
        assertTrue(store.miss(late.id(), GRACE, "missed: too late"));
        assertEquals(Schedule.State.MISSED, store.find(late.id()).orElseThrow().state());
        assertFalse(store.claim(late.id(), "replica-a", GRACE, STALE));
    }

    @Test
    void onlyAPendingScheduleIsCancelled() {
        Schedule running = at(Instant.now().minusSeconds(1));
        assertTrue(store.claim(running.id(), "replica-a", GRACE, STALE));
        assertFalse(store.cancel(running.id(), "too late", "key-bbbbbb"));
        assertNull(store.find(running.id()).orElseThrow().cancelledBy(), "not cancelled: nobody is named");
        Schedule pending = at(Instant.now().plusSeconds(3600));
        assertTrue(store.cancel(pending.id(), "change freeze", "key-bbbbbb"));
        assertFalse(store.cancel(pending.id(), "again", "key-cccccc"));
        Schedule cancelled = store.find(pending.id()).orElseThrow();
        assertEquals(Schedule.State.CANCELLED, cancelled.state());
        assertEquals("key-aaaaaa", cancelled.createdBy());
        assertEquals("key-bbbbbb", cancelled.cancelledBy(), "the first cancel is the one on record");
    }

    @Test
    void aStaleClaimIsClaimedAgainAndOnlyTheCurrentClaimerFinishesIt() throws InterruptedException {
        Schedule s = at(Instant.now().minusSeconds(1));
        assertTrue(store.claim(s.id(), "replica-a", GRACE, STALE));
        assertFalse(store.claim(s.id(), "replica-b", GRACE, STALE), "a live claim is someone's run");
        Thread.sleep(50);
        Duration stale = Duration.ofMillis(10);
        assertEquals(List.of(s.id()), store.due(stale).stream().map(Schedule::id).toList());
        assertTrue(store.claim(s.id(), "replica-b", GRACE, stale));
        assertFalse(store.finish(s.id(), "replica-a", "act-1", "SUCCEEDED"), "replica-a's claim is gone");
        assertTrue(store.finish(s.id(), "replica-b", "act-1", "SUCCEEDED"));
        Schedule done = store.find(s.id()).orElseThrow();
        assertEquals(Schedule.State.DONE, done.state());
        assertEquals("act-1", done.actionId());
    }

    @Test
    void aDueDrillPlanIsAdvancedByExactlyOneOfManyRacers() {
        DrillPlanStore plans = new DrillPlanStore(dataSource);
        DrillPlan p = new DrillPlan("plan-" + UUID.randomUUID(), "orders-cache", "0 10 * * TUE", 30_000, null, null,
                List.of("Mon-Fri 09:00-17:00"), List.of(), List.of(java.time.LocalDate.parse("2026-12-24")),
                DrillPlan.State.ACTIVE, Instant.now().minusSeconds(1), Instant.now(), "key-aaaaaa", null, null, null);
        plans.create(p);
        DrillPlan due = plans.due().stream().filter(x -> x.id().equals(p.id())).findFirst().orElseThrow();
        assertEquals(List.of("Mon-Fri 09:00-17:00"), due.allowedWindows());
        Instant next = Instant.now().plusSeconds(3600);
        int racers = JdbcActionStoreContract.RACERS;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<CompletableFuture<Boolean>> claims = IntStream.range(0, racers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return plans.advance(due, next);
                    }, pool)).toList();
            go.countDown();
            assertEquals(1, claims.stream().filter(CompletableFuture::join).count());
        } finally {
            pool.shutdownNow();
        }
        assertTrue(plans.due().isEmpty(), "not due again until its next time");
        assertTrue(plans.cancel(p.id(), "key-bbbbbb"));
        assertFalse(plans.cancel(p.id(), "key-cccccc"));
        DrillPlan cancelled = plans.find(p.id()).orElseThrow();
        assertEquals("key-aaaaaa", cancelled.createdBy());
        assertEquals("key-bbbbbb", cancelled.cancelledBy());
    }

    @Test
    void aRequestIdNamesOneSchedule() {
        Schedule s = at(Instant.now().plusSeconds(60));
        Schedule again = new Schedule("sch-" + UUID.randomUUID(), s.target(), s.at(), s.reason(), s.requestId(),
                Schedule.State.PENDING, Instant.now(), null, null, null, null, null, null, null);
        assertFalse(store.create(again));
        assertEquals(s.id(), store.findByRequestId(s.requestId()).orElseThrow().id());
    }
}
