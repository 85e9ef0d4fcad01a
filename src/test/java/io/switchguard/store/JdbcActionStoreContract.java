package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database behind {@link JdbcActionStore} must do (CONTRACT §4: single flight, idempotency,
 * a journal that survives restarts). A subclass per database supplies a fresh, empty database per test.
 */
abstract class JdbcActionStoreContract {

    static final int RACERS = 20;
    static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    private DataSource dataSource;
    ActionStore store;

    /** A new DataSource on this test's database: the same database on every call within one test. */
    protected abstract DataSource openDataSource() throws SQLException;

    /** Shuts the DataSource down the way a stopping process would. */
    protected abstract void closeDataSource(DataSource dataSource) throws SQLException;

    /**
     * Makes the planner take an index wherever one applies, so a tiny test table shows which query can use one
     * (PostgreSQL prefers a sequential scan of a few rows; H2 takes an index whenever it can).
     */
    protected void preferIndexes(Connection c) throws SQLException {
    }

    @BeforeEach
    void start() throws SQLException {
        store = startStore();
    }

    @AfterEach
    void stop() throws SQLException {
        closeDataSource(dataSource);
    }

    /** What the application does at start: open the datasource, let Flyway migrate, build the store. */
    private ActionStore startStore() throws SQLException {
        dataSource = openDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new JdbcActionStore(dataSource);
    }

    private ActionStore restart() throws SQLException {
        closeDataSource(dataSource);
        return startStore();
    }

    /** This test's datasource as the store uses it. */
    DataSource dataSource() {
        return dataSource;
    }

    /** Starts the store again on the database after someone else (another process) has closed or used it. */
    void reopen() throws SQLException {
        store = startStore();
    }

    // --- journal ---

    @Test
    void beginUpdateAndStepsRoundTripEveryField() {
        Action begun = action("a-1", "orders-cache", T0, null).withSteps(List.of(
                new Action.Step(T0, "guard.cooldown", "passed"),
                new Action.Step(T0.plusNanos(1_000), "guard.standby", null)));
        store.begin(begun);
        assertEquals(Optional.of(begun), store.find("a-1"));

        store.step("a-1", new Action.Step(T0.plusMillis(5), "cloud.call", "POST /v2/p/instances/i/swap"));
        Action finished = new Action("a-1", "orders-cache", "dcs", "swap", "manual", ActionStatus.SUCCEEDED,
                Verification.VERIFIED, null, "roles traded", null, false, false, T0, T0.plusSeconds(3),
                new Action.Cloud(204, null, null, "req-cloud-1"), null, null, List.of());
        store.update(finished);

        assertEquals(Optional.of(finished.withSteps(List.of(
                new Action.Step(T0, "guard.cooldown", "passed"),
                new Action.Step(T0.plusNanos(1_000), "guard.standby", null),
                new Action.Step(T0.plusMillis(5), "cloud.call", "POST /v2/p/instances/i/swap")))),
                store.find("a-1"));
    }

    @Test
    void everyOptionalFieldRoundTripsWhenSet() {
        Action full = new Action("a-full", "erp-db", "drs", "switch-vip", "auto", ActionStatus.FAILED,
                Verification.NONE, "primary down for 3 probes", "cloud refused", "req-42", true, true,
                T0, T0.plusMillis(1_500), new Action.Cloud(400, "DRS.10000010", "job is not in a switchable state",
                        "cloud-req-9"), "DRS.10000010", "job is not in a switchable state", List.of(new Action.Step(T0, "guard.pause", "not paused")));
        store.begin(full);

        assertEquals(Optional.of(full), store.find("a-full"));
        assertEquals(Optional.of(full), store.findByRequestId("req-42"));
    }

    @Test
    void aCloudAnswerWithOnlyNullsIsNotReadBackAsNoAnswer() {
        store.begin(action("a-timeout", "orders-cache", T0, null));
        Action unknown = new Action("a-timeout", "orders-cache", "dcs", "swap", "manual", ActionStatus.UNKNOWN,
                Verification.PENDING, null, "read timeout", null, false, false, T0, T0.plusSeconds(10),
                new Action.Cloud(null, null, null, null), null, null, List.of());
        store.update(unknown);

        assertEquals(new Action.Cloud(null, null, null, null), store.find("a-timeout").orElseThrow().cloud());
    }

    @Test
    void updateReplacesOnlyTheOutcomeAndKeepsSteps() {
        store.begin(action("a-1", "orders-cache", T0, "req-1")
                .withSteps(List.of(new Action.Step(T0, "guard.cooldown", "passed"))));
        Action rewritten = new Action("a-1", "other-target", "dws", "failover", "auto", ActionStatus.SUBMITTED,
                Verification.PENDING, "another reason", "submitted", "req-other", true, true,
                T0.plusSeconds(60), null, null, null, null, List.of());
        store.update(rewritten);

        assertEquals(new Action("a-1", "orders-cache", "dcs", "swap", "manual",
                ActionStatus.SUBMITTED, Verification.PENDING, null, "submitted", "req-1", false, false, T0, null,
                null, null, null, List.of(new Action.Step(T0, "guard.cooldown", "passed"))), store.find("a-1").orElseThrow());
    }

    @Test
    void instantsAreKeptToTheMicrosecond() {
        Instant precise = Instant.parse("2026-03-01T10:15:30.987654321Z");
        store.begin(action("a-1", "orders-cache", precise, null)
                .withSteps(List.of(new Action.Step(precise, "x", null))));

        Action stored = store.find("a-1").orElseThrow();
        assertEquals(Instant.parse("2026-03-01T10:15:30.987654Z"), stored.startedAt());
        assertEquals(Instant.parse("2026-03-01T10:15:30.987654Z"), stored.steps().get(0).at());
    }

    @Test
    void unknownActionsAreEmptyAndCannotBeUpdatedOrAppendedTo() {
        assertEquals(Optional.empty(), store.find("nope"));
        assertEquals(Optional.empty(), store.findByRequestId("nope"));
        assertThrows(IllegalArgumentException.class, () -> store.update(action("nope", "orders-cache", T0, null)));
        assertThrows(IllegalArgumentException.class, () -> store.step("nope", new Action.Step(T0, "x", null)));
    }

    @Test
    void listIsNewestFirstWithStepsFilteredByTargetAndLimited() {
        store.begin(action("a-old", "orders-cache", T0, null));
        store.begin(action("a-mid", "erp-db", T0.plusSeconds(10), null));
        store.begin(action("a-new", "orders-cache", T0.plusSeconds(20), null)
                .withSteps(List.of(new Action.Step(T0.plusSeconds(20), "guard.cooldown", "passed"))));
        // Same startedAt: the higher actionId comes first, so pages are stable.
        store.begin(action("a-tie-a", "erp-db", T0.plusSeconds(30), null));
        store.begin(action("a-tie-b", "erp-db", T0.plusSeconds(30), null));

        assertEquals(List.of("a-tie-b", "a-tie-a", "a-new", "a-mid", "a-old"), ids(store.list(null, 10)));
        assertEquals(List.of("a-new", "a-old"), ids(store.list("orders-cache", 10)));
        assertEquals(List.of("a-tie-b", "a-tie-a"), ids(store.list(null, 2)));
        List<Action> newest = store.list("orders-cache", 1);
        assertEquals(List.of("a-new"), ids(newest));
        assertEquals(List.of(new Action.Step(T0.plusSeconds(20), "guard.cooldown", "passed")), newest.get(0).steps());
        assertEquals(List.of(), store.list("unknown-target", 10));
    }

    @Test
    void duplicateRequestIdIsRefusedAndTheFirstEntryIsIntact() {
        Action first = action("a-1", "orders-cache", T0, "req-1")
                .withSteps(List.of(new Action.Step(T0, "guard.cooldown", "passed")));
        store.begin(first);

        Action second = action("a-2", "orders-cache", T0.plusSeconds(1), "req-1")
                .withSteps(List.of(new Action.Step(T0.plusSeconds(1), "guard.cooldown", "passed again")));
        DuplicateRequestIdException e = assertThrows(DuplicateRequestIdException.class, () -> store.begin(second));
        assertTrue(e.getMessage().contains("req-1"), e.getMessage());

        assertEquals(Optional.of(first), store.findByRequestId("req-1"));
        assertEquals(Optional.empty(), store.find("a-2"));
        assertEquals(List.of(first), store.list(null, 10));
    }

    @Test
    void actionsWithoutRequestIdNeverCollide() {
        store.begin(action("a-1", "orders-cache", T0, null));
        store.begin(action("a-2", "orders-cache", T0, null));

        assertEquals(2, store.list(null, 10).size());
    }

    @Test
    void aRepeatedActionIdIsAnErrorNotADuplicateRequest() {
        store.begin(action("a-1", "orders-cache", T0, "req-1"));

        StoreException e = assertThrows(StoreException.class,
                () -> store.begin(action("a-1", "orders-cache", T0, "req-2")));
        assertEquals(StoreException.class, e.getClass());
        assertTrue(e.getMessage().contains("a-1"), e.getMessage());
        assertEquals(Optional.empty(), store.findByRequestId("req-2"));
    }

    @Test
    void racingBeginsWithOneRequestIdLetExactlyOneThrough() throws Exception {
        List<Outcome<String>> outcomes = race(i -> {
            store.begin(action("a-" + i, "orders-cache", T0, "req-race")
                    .withSteps(List.of(new Action.Step(T0, "racer", "#" + i))));
            return "a-" + i;
        });

        List<String> winners = outcomes.stream().filter(Outcome::ok).map(Outcome::value).toList();
        assertEquals(1, winners.size(), () -> "winners: " + winners);
        for (Outcome<String> o : outcomes) {
            if (!o.ok()) {
                assertEquals(DuplicateRequestIdException.class, o.error().getClass(), o.error()::toString);
            }
        }
        Action stored = store.findByRequestId("req-race").orElseThrow();
        assertEquals(winners.get(0), stored.actionId());
        assertEquals(1, stored.steps().size());
        assertEquals(1, store.list(null, 100).size());
    }

    @Test
    void concurrentStepAppendsKeepEveryLineInOrder() throws Exception {
        store.begin(action("a-1", "orders-cache", T0, null));
        int perRacer = 10;

        for (Outcome<Object> o : race(i -> {
            for (int j = 0; j < perRacer; j++) {
                store.step("a-1", new Action.Step(T0.plusMillis(j), "racer-" + i, Integer.toString(j)));
            }
            return null;
        })) {
            assertNull(o.error());
        }

        List<Action.Step> steps = store.find("a-1").orElseThrow().steps();
        assertEquals(RACERS * perRacer, steps.size());
        List<String> inOrder = IntStream.range(0, perRacer).mapToObj(Integer::toString).toList();
        for (int i = 0; i < RACERS; i++) {
            String racer = "racer-" + i;
            assertEquals(inOrder, steps.stream().filter(s -> s.name().equals(racer)).map(Action.Step::detail).toList(),
                    "lines of " + racer + " in append order");
        }
    }

    @Test
    void theJournalSurvivesARestart() throws SQLException {
        store.begin(action("a-1", "orders-cache", T0, "req-1"));
        store.step("a-1", new Action.Step(T0.plusMillis(1), "cloud.call", "swap"));
        Action finished = new Action("a-1", "orders-cache", "dcs", "swap", "manual", ActionStatus.SUCCEEDED,
                Verification.VERIFIED, null, "roles traded", "req-1", false, false, T0, T0.plusSeconds(2),
                new Action.Cloud(204, null, null, "cloud-req"), null, null, List.of());
        store.update(finished);
        store.begin(action("a-2", "erp-db", T0.plusSeconds(5), null));
        assertTrue(store.tryLock("orders-cache", "replica-1", Duration.ofMinutes(5)));

        ActionStore restarted = restart();

        Action expected = finished.withSteps(List.of(new Action.Step(T0.plusMillis(1), "cloud.call", "swap")));
        assertEquals(Optional.of(expected), restarted.find("a-1"));
        assertEquals(Optional.of(expected), restarted.findByRequestId("req-1"));
        assertEquals(List.of("a-2", "a-1"), ids(restarted.list(null, 10)));
        assertThrows(DuplicateRequestIdException.class,
                () -> restarted.begin(action("a-3", "orders-cache", T0, "req-1")));
        assertFalse(restarted.tryLock("orders-cache", "replica-2", Duration.ofMinutes(5)));
        restarted.step("a-1", new Action.Step(T0.plusSeconds(3), "verify", "after restart"));
        assertEquals(List.of("cloud.call", "verify"),
                restarted.find("a-1").orElseThrow().steps().stream().map(Action.Step::name).toList());
    }

    // --- switchover lock ---

    @Test
    void racingTryLocksOnOneTargetLetExactlyOneThrough() throws Exception {
        assertExactlyOneWinner(race(i -> store.tryLock("orders-cache", "owner-" + i, Duration.ofMinutes(1))));
    }

    @Test
    void racingTakersOfAnExpiredLockLetExactlyOneThrough() throws Exception {
        assertTrue(store.tryLock("orders-cache", "crashed", Duration.ofMillis(1)));
        sleep(Duration.ofMillis(20));

        assertExactlyOneWinner(race(i -> store.tryLock("orders-cache", "owner-" + i, Duration.ofMinutes(1))));
    }

    @Test
    void aLiveLockRefusesEveryoneIncludingItsOwnOwner() {
        assertTrue(store.tryLock("orders-cache", "owner-a", Duration.ofMinutes(1)));

        assertFalse(store.tryLock("orders-cache", "owner-b", Duration.ofMinutes(1)));
        assertFalse(store.tryLock("orders-cache", "owner-a", Duration.ofMinutes(1)));
    }

    @Test
    void locksOfDifferentTargetsAreIndependent() {
        assertTrue(store.tryLock("orders-cache", "owner-a", Duration.ofMinutes(1)));

        assertTrue(store.tryLock("erp-db", "owner-b", Duration.ofMinutes(1)));
    }

    @Test
    void anExpiredLockCanBeTakenByAnotherOwner() {
        assertTrue(store.tryLock("orders-cache", "crashed", Duration.ofMillis(200)));
        assertFalse(store.tryLock("orders-cache", "owner-b", Duration.ofMinutes(1)));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> store.tryLock("orders-cache", "owner-b", Duration.ofMinutes(1)));

        assertFalse(store.tryLock("orders-cache", "crashed", Duration.ofMinutes(1)));
    }

    @Test
    void unlockByANonOwnerLeavesTheLockHeld() {
        assertTrue(store.tryLock("orders-cache", "owner-a", Duration.ofMinutes(1)));

        store.unlock("orders-cache", "owner-b");

        assertFalse(store.tryLock("orders-cache", "owner-b", Duration.ofMinutes(1)));
    }

    @Test
    void unlockByTheOwnerFreesTheTarget() {
        assertTrue(store.tryLock("orders-cache", "owner-a", Duration.ofMinutes(1)));

        store.unlock("orders-cache", "owner-a");

        assertTrue(store.tryLock("orders-cache", "owner-b", Duration.ofMinutes(1)));
    }

    @Test
    void extendLockKeepsOthersOutPastTheFirstTtl() {
        assertTrue(store.tryLock("orders-cache", "owner-a", Duration.ofMillis(300)));

        store.extendLock("orders-cache", "owner-a", Duration.ofMinutes(1));
        sleep(Duration.ofMillis(500));

        assertFalse(store.tryLock("orders-cache", "owner-b", Duration.ofMinutes(1)));
    }

    @Test
    void extendLockByANonOwnerExtendsNothing() {
        assertTrue(store.tryLock("orders-cache", "owner-a", Duration.ofMillis(300)));

        store.extendLock("orders-cache", "owner-b", Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> store.tryLock("orders-cache", "owner-c", Duration.ofMinutes(1)));
    }

    @Test
    void aLockNeedsAPositiveTtl() {
        assertThrows(IllegalArgumentException.class, () -> store.tryLock("orders-cache", "owner-a", Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> store.extendLock("orders-cache", "owner-a", Duration.ofSeconds(-1)));
    }

    // --- helpers ---

    // --- the switchover's phases ---

    static Action pending(String actionId, String target, Instant startedAt, String requestId) {
        return new Action(actionId, target, "dcs", "swap", "auto", ActionStatus.UNKNOWN, Verification.PENDING,
                null, null, requestId, false, false, startedAt, null, null, null, null,
                List.of(new Action.Step(startedAt, "accepted", "auto swap")));
    }

    @Test
    void openTakesTheLockAndJournalsInOneTransactionOrNothing() {
        Duration ttl = Duration.ofSeconds(30);
        assertEquals(ActionStore.Opened.STARTED, store.open(pending("a-1", "orders-cache", T0, "req-1"), ttl, null, null));
        assertEquals(List.of("a-1"), store.locks().stream().map(ActionStore.Lock::owner).toList());
        // Locked: nothing of the second is journaled.
        assertEquals(ActionStore.Opened.LOCKED, store.open(pending("a-2", "orders-cache", T0, null), ttl, null, null));
        assertTrue(store.find("a-2").isEmpty());
        store.unlock("orders-cache", "a-1");
        // The requestId is taken: the lock it took is rolled back with it.
        assertEquals(ActionStore.Opened.DUPLICATE, store.open(pending("a-3", "orders-cache", T0, "req-1"), ttl, null, null));
        assertTrue(store.locks().isEmpty());
        assertTrue(store.find("a-3").isEmpty());
    }

    @Test
    void openRefusesADecisionOlderThanAnActionThatMayHaveChangedRoles() {
        Duration ttl = Duration.ofSeconds(30);
        store.begin(new Action("manual-1", "orders-cache", "dcs", "swap", "manual", ActionStatus.SUCCEEDED,
                Verification.VERIFIED, null, null, null, false, false, T0.plusSeconds(10), T0.plusSeconds(11), null,
                null, null, List.of()));
        store.begin(new Action("refused-1", "orders-cache", "dcs", "swap", "manual", ActionStatus.FAILED,
                Verification.NONE, null, null, null, false, false, T0.plusSeconds(30), T0.plusSeconds(30), null,
                null, null, List.of()));
        // Journaled just now by the database's clock, whatever the journaling replica's clock said (T0 is months
        // ago): newer than a decision made five seconds ago.
        assertEquals(ActionStore.Opened.SUPERSEDED, store.open(pending("auto-1", "orders-cache", T0.plusSeconds(40),
                null), ttl, null, Duration.ofSeconds(5)));
        assertTrue(store.locks().isEmpty(), "the lock is rolled back with the refusal");
        // A decision made after the manual swap, and a FAILED one that changed nothing, do not supersede.
        assertEquals(ActionStore.Opened.STARTED, store.open(pending("auto-2", "orders-cache", T0.plusSeconds(40),
                null), ttl, null, Duration.ZERO));
    }

    @Test
    void beforeCallHoldsOnlyWhileTheOwnerStillHoldsAnUnexpiredLock() {
        assertEquals(ActionStore.Opened.STARTED, store.open(pending("a-1", "orders-cache", T0, null),
                Duration.ofSeconds(30), null, null));
        Action.Step call = new Action.Step(T0.plusSeconds(1), "call", "attempt 1");
        assertEquals(ActionStore.Held.HELD, store.beforeCall("orders-cache", "a-1", Duration.ofSeconds(30), null, "a-1",
                List.of(call)));
        assertEquals(List.of("accepted", "call"), store.find("a-1").orElseThrow().steps().stream()
                .map(Action.Step::name).toList());
        store.unlock("orders-cache", "a-1");
        assertTrue(store.tryLock("orders-cache", "someone-else", Duration.ofSeconds(30)));
        assertEquals(ActionStore.Held.LOCK_LOST, store.beforeCall("orders-cache", "a-1", Duration.ofSeconds(30), null,
                "a-1", List.of(new Action.Step(T0.plusSeconds(2), "call", "attempt 2"))));
        assertEquals(2, store.find("a-1").orElseThrow().steps().size(), "nothing written when the lock is lost");
    }

    @Test
    void recordIsACompareAndSetSoAnActionEndsOnce() {
        store.open(pending("a-1", "orders-cache", T0, null), Duration.ofSeconds(30), null, null);
        Action done = new Action("a-1", "orders-cache", "dcs", "swap", "auto", ActionStatus.SUCCEEDED,
                Verification.VERIFIED, null, "roles traded", null, false, false, T0, T0.plusSeconds(2), null, null,
                null, List.of());
        assertTrue(store.record(done, ActionStatus.UNKNOWN, Verification.PENDING,
                List.of(new Action.Step(T0.plusSeconds(2), "verify", "traded")), null));
        Action late = new Action("a-1", "orders-cache", "dcs", "swap", "auto", ActionStatus.FAILED,
                Verification.FAILED, null, "late", null, false, false, T0, T0.plusSeconds(9), null, "SG.5021", "late",
                List.of());
        assertFalse(store.record(late, ActionStatus.UNKNOWN, Verification.PENDING, List.of(), null));
        Action stored = store.find("a-1").orElseThrow();
        assertEquals(ActionStatus.SUCCEEDED, stored.status());
        assertEquals(List.of("accepted", "verify"), stored.steps().stream().map(Action.Step::name).toList());
        assertTrue(store.unfinished().isEmpty());
    }

    @Test
    void anOutcomeGivesTheActionsLockBackInItsOwnTransaction() {
        store.open(pending("a-1", "orders-cache", T0, null), Duration.ofSeconds(30), null, null);
        store.open(pending("b-1", "billing-db", T0, null), Duration.ofSeconds(30), null, null);
        Action accepted = new Action("a-1", "orders-cache", "dcs", "swap", "auto", ActionStatus.SUBMITTED,
                Verification.PENDING, null, "accepted", null, false, false, T0, null, null, null, null, List.of());
        assertTrue(store.record(accepted, ActionStatus.UNKNOWN, Verification.PENDING, List.of(), null));
        assertEquals(List.of("billing-db", "orders-cache"), store.locks().stream().map(ActionStore.Lock::target)
                .toList(), "an open state keeps the lock");

        Action done = new Action("a-1", "orders-cache", "dcs", "swap", "auto", ActionStatus.SUCCEEDED,
                Verification.VERIFIED, null, "roles traded", null, false, false, T0, T0.plusSeconds(2), null, null,
                null, List.of());
        assertTrue(store.record(done, ActionStatus.SUBMITTED, Verification.PENDING, List.of(), null));
        assertEquals(List.of("b-1"), store.locks().stream().map(ActionStore.Lock::owner).toList(),
                "the outcome released its own lock and no other");
    }

    @Test
    void anOutcomeLeavesALockSomeoneElseTookAlone() {
        store.open(pending("a-1", "orders-cache", T0, null), Duration.ofSeconds(30), null, null);
        store.unlock("orders-cache", "a-1"); // as if it had expired
        assertTrue(store.tryLock("orders-cache", "someone-else", Duration.ofSeconds(30)));
        Action rejected = new Action("a-1", "orders-cache", "dcs", "swap", "auto", ActionStatus.REJECTED,
                Verification.NONE, null, "lock lost", null, false, false, T0, T0.plusSeconds(1), null, "SG.4093",
                "lock lost", List.of());
        assertTrue(store.record(rejected, ActionStatus.UNKNOWN, Verification.PENDING, List.of(), null));
        assertEquals(List.of("someone-else"), store.locks().stream().map(ActionStore.Lock::owner).toList());
    }

    @Test
    void theUnfinishedActionsAreReadThroughAnIndexNotAScanOfTheJournal() throws SQLException {
        store.begin(action("a-1", "orders-cache", T0, null));
        String plan;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            preferIndexes(c);
            StringBuilder lines = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT action_id FROM actions WHERE finished_at IS NULL"
                    + " ORDER BY started_at, action_id")) {
                while (rs.next()) {
                    lines.append(rs.getString(1)).append('\n');
                }
            }
            plan = lines.toString();
        }
        assertTrue(plan.toLowerCase(Locale.ROOT).contains("ix_actions_unfinished"), plan);
        assertEquals(List.of("a-1"), ids(store.unfinished()));
    }

    /**
     * A journal line is written once per step, nine times a swap: each index on action_steps is one more B-tree
     * entry a line costs, and on an H2 file one more leaf every durable write rewrites. H2 gave the foreign key to
     * actions an index of its own beside the primary key (action_id, seq), which already starts with the column.
     */
    @Test
    void aJournalLineIsIndexedByItsPrimaryKeyAlone() throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            String table = c.getMetaData().storesUpperCaseIdentifiers() ? "ACTION_STEPS" : "action_steps";
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    if (name != null && !indexes.contains(name)) {
                        indexes.add(name);
                    }
                }
            }
        }
        assertEquals(1, indexes.size(), "only the primary key: " + indexes);
    }

    /**
     * An event handed to this process's sender with its insert (OutboxStore#handOff) is the row as the outbox has
     * it, claimed in the journal's transaction: its generated seq, pending, and nobody else's to claim.
     */
    @Test
    void anEventWrittenWithTheJournalIsHandedToTheSenderAlreadyClaimed() {
        OutboxStore outbox = new OutboxStore(dataSource, List.of("webhook"), "/switchguard/test");
        List<OutboxStore.Handed> taken = new ArrayList<>();
        outbox.handOff("replica-a", Duration.ofMinutes(1), taken::add);
        JdbcActionStore journal = new JdbcActionStore(dataSource, outbox);
        journal.begin(action("a-1", "orders-cache", T0, null), new OutboxEvent("e-1",
                "io.switchguard.action.rejected", "orders-cache", T0, "{\"actionId\":\"a-1\"}"));

        OutboxEntry row = outbox.find("e-1").get(0);
        assertEquals(List.of(row.seq()), taken.stream().map(h -> h.row().seq()).toList());
        assertEquals(row.event(), taken.get(0).row().event());
        assertEquals(OutboxEntry.State.PENDING, row.state());
        assertEquals(List.of(), outbox.claim("replica-b", Duration.ofMinutes(1), 10, List.of("webhook")));
        assertTrue(outbox.delivered(taken.get(0).row(), "replica-a"));
        assertEquals(OutboxEntry.State.DELIVERED, outbox.find("e-1").get(0).state());
    }

    static Action action(String actionId, String target, Instant startedAt, String requestId) {
        return new Action(actionId, target, "dcs", "swap", "manual", ActionStatus.UNKNOWN, Verification.NONE,
                null, null, requestId, false, false, startedAt, null, null, null, null, List.of());
    }

    /** The switchover's first phase through the fence: FencedException when the term is not live. */
    static void openFenced(ActionStore store, Action action, Lease fence) {
        ActionStore.Opened opened = store.open(action, Duration.ofMinutes(1), fence, null);
        if (opened == ActionStore.Opened.FENCED) {
            throw new FencedException(fence);
        }
        assertEquals(ActionStore.Opened.STARTED, opened);
    }

    static List<String> ids(List<Action> actions) {
        return actions.stream().map(Action::actionId).toList();
    }

    static void assertExactlyOneWinner(List<Outcome<Boolean>> outcomes) {
        for (Outcome<Boolean> o : outcomes) {
            assertNull(o.error(), () -> "racer failed: " + o.error());
        }
        assertEquals(1, outcomes.stream().filter(Outcome::value).count(), () -> "outcomes: " + outcomes);
    }

    record Outcome<T>(T value, Throwable error) {
        boolean ok() {
            return error == null;
        }
    }

    interface Racer<T> {
        T run(int index) throws Exception;
    }

    /** Runs RACERS callers at once (released together by a latch) and collects what each got. */
    static <T> List<Outcome<T>> race(Racer<T> racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch ready = new CountDownLatch(RACERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int index = i;
                Callable<Outcome<T>> call = () -> {
                    ready.countDown();
                    go.await();
                    try {
                        return new Outcome<>(racer.run(index), null);
                    } catch (Exception e) {
                        return new Outcome<>(null, e);
                    }
                };
                futures.add(pool.submit(call));
            }
            ready.await();
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
