package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchguard.policy.TargetState;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A batch reads exactly the rows it names, however many (issue #13: a 10,000-target tick). */
class StateStoreTest {

    JdbcConnectionPool pool;
    StateStore states;

    @BeforeEach
    void start() {
        pool = JdbcConnectionPool.create("jdbc:h2:mem:state-store;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        states = new StateStore(pool, false);
        for (int i = 0; i < 1200; i++) {
            states.save("t-" + i, new StateStore.Saved(new TargetState(i % 7, 0, 0, true, i, null, null), null, "d-" + i));
        }
    }

    @AfterEach
    void stop() throws Exception {
        try (var c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        pool.dispose();
    }

    @Test
    void aLargeBatchGetsItsOwnRowsOnlyAndASmallOneToo() {
        List<String> large = IntStream.range(0, 600).mapToObj(i -> "t-" + (2 * i)).toList(); // past one IN list
        Map<String, StateStore.Saved> read = states.loadAll(
                java.util.stream.Stream.concat(large.stream(), java.util.stream.Stream.of("never-saved")).toList());
        assertEquals(600, read.size());
        for (int i = 0; i < 1200; i += 2) {
            StateStore.Saved s = read.get("t-" + i);
            assertEquals(i, s.state().breaches());
            assertEquals(i % 7, s.state().failures());
            assertEquals("d-" + i, s.lastDecision());
        }
        assertEquals(Map.of("t-5", 5L, "t-1199", 1199L), Map.ofEntries(states.loadAll(List.of("t-5", "t-1199", "x"))
                .entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().state().breaches()))
                .toArray(Map.Entry[]::new)));
        assertEquals(Map.of(), states.loadAll(List.of()));
    }

    /**
     * On a store only this process writes, a batch reads a row once, and again only after a write here changed it:
     * reading every batch's rows was 28 % of the checker's sampled CPU at 10,000 targets a second (issue #13). What
     * it answers is what the store holds, pauses included.
     */
    @Test
    void onAStoreOnlyThisProcessWritesABatchReadsARowOnceAWrite() {
        StateStore sole = new StateStore(pool, true);
        List<String> batch = List.of("t-1", "t-2", "t-3", "never-saved");
        sole.loadAll(batch);
        long first = sole.rowsRead();
        for (int i = 0; i < 5; i++) {
            assertEquals(3, sole.loadAll(batch).size());
        }
        assertEquals(first, sole.rowsRead(), "no row read again");

        sole.saveChecks(Map.of("t-2", new StateStore.Saved(new TargetState(2, 0, 0, false, 9, null, null), null, "d")));
        io.switchguard.policy.Pause pause = new io.switchguard.policy.Pause("op", "maintenance",
                java.time.Instant.parse("2026-12-02T00:00:00Z"), null, null);
        sole.setPause("t-3", pause);
        Map<String, StateStore.Saved> read = sole.loadAll(batch);

        assertEquals(first + 2, sole.rowsRead(), "the two rows written, read again");
        assertEquals(9, read.get("t-2").state().breaches());
        assertEquals("maintenance", read.get("t-3").state().pause().reason());
        assertEquals(1, read.get("t-1").state().failures());
        assertEquals(read.keySet(), states.loadAll(batch).keySet());
        assertEquals(read.get("t-3").state(), states.loadAll(batch).get("t-3").state(), "as the store holds it");
    }
}
