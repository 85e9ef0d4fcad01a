package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.switchguard.check.FailoverBudget;
import io.switchguard.config.Kind;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failover budget's units on a store: two replicas on one database, each acting on a target of its own shard,
 * each with its own budget object (as two JVMs have): when both reach for the fleet's last unit at the same moment,
 * exactly one gets it.
 */
abstract class BudgetUnitsContract {

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Races run; each in a window of its own, so the units of the one before have left it. */
    static final int ROUNDS = 20;

    DataSource dataSource;

    /** A fresh, empty database; migrated by the contract. */
    protected abstract DataSource openDataSource() throws SQLException;

    protected abstract void closeDataSource(DataSource dataSource) throws SQLException;

    @BeforeEach
    void migrate() throws SQLException {
        dataSource = openDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @AfterEach
    void close() throws SQLException {
        closeDataSource(dataSource);
    }

    @Test
    void twoReplicasRacingForTheLastUnitTakeItOnce() throws Exception {
        FailoverBudget a = budget(2);
        FailoverBudget b = budget(2);
        Target onA = target("cache-on-shard-a");
        Target onB = target("cache-on-shard-b");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int round = 0; round < ROUNDS; round++) {
            Instant now = start.plus(WINDOW.multipliedBy(2L * round));
            // One unit of two spent already: one left for the two replicas.
            assertEquals(true, a.take(now, onA).taken());
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<FailoverBudget.Take> atA = CompletableFuture.supplyAsync(() -> race(together, a, now, onA));
            CompletableFuture<FailoverBudget.Take> atB = CompletableFuture.supplyAsync(() -> race(together, b, now, onB));
            List<FailoverBudget.Take> takes = List.of(atA.get(), atB.get());
            assertEquals(1, takes.stream().filter(FailoverBudget.Take::taken).count(), "round " + round + ": " + takes);
            FailoverBudget.Take refused = takes.stream().filter(t -> !t.taken()).findFirst().orElseThrow();
            // The loser saw the winner's unit: the fleet's budget as spent, which the policy turns into its refusal.
            assertEquals(2, refused.budgets().get(0).used(), refused.toString());
            assertEquals(2, a.read(now).used());
            assertFalse(b.take(now, onB).taken(), "the budget stays spent for every replica");
        }
    }

    @Test
    void aUnitGivenBackIsFreeAgain() {
        FailoverBudget budget = budget(1);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        FailoverBudget.Take first = budget.take(now, target("cache-a"));
        assertFalse(budget.take(now, target("cache-b")).taken());
        budget.release(first.unit());
        assertEquals(0, budget.read(now).used());
        assertEquals(true, budget.take(now, target("cache-b")).taken());
    }

    static FailoverBudget.Take race(CyclicBarrier together, FailoverBudget budget, Instant now, Target target) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return budget.take(now, target);
    }

    FailoverBudget budget(int max) {
        return new FailoverBudget(dataSource, config(max), null, null, null, null);
    }

    static Target target(String name) {
        return new Target(name, Kind.DCS, "sandbox-1", "project", "inst-" + name, null, true, Duration.ofMinutes(1),
                null, null);
    }

    /** Only the budget's keys: all a budget reads of the configuration. */
    static SwitchguardConfig config(int max) {
        SwitchguardConfig.FailoverBudget budget = new SwitchguardConfig.FailoverBudget() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int maxAutomatic() {
                return max;
            }

            @Override
            public Duration window() {
                return WINDOW;
            }

            @Override
            public Map<String, SwitchguardConfig.BudgetGroup> groups() {
                return Map.of();
            }
        };
        return (SwitchguardConfig) Proxy.newProxyInstance(SwitchguardConfig.class.getClassLoader(),
                new Class<?>[] {SwitchguardConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("budget")) {
                        return budget;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
