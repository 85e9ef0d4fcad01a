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
        states = new StateStore(pool);
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
}
