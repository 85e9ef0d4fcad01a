package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.switchover.Action;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application wiring: Flyway migrates the configured store at start and the producer serves it. */
@QuarkusTest
@TestProfile(StoreProducerTest.InMemoryStore.class)
class StoreProducerTest {

    public static class InMemoryStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchguard.store.url", "jdbc:h2:mem:store-producer;DB_CLOSE_DELAY=-1");
        }
    }

    @Inject
    ActionStore store;

    @Test
    void theInjectedStoreJournalsIntoTheMigratedDatasource() {
        Action action = JdbcActionStoreContract.action("a-cdi", "orders-cache", JdbcActionStoreContract.T0, "req-cdi")
                .withSteps(List.of(new Action.Step(JdbcActionStoreContract.T0, "guard.cooldown", "passed")));
        store.begin(action);

        assertEquals(action, store.findByRequestId("req-cdi").orElseThrow());
        assertTrue(store.tryLock("orders-cache", "instance-1", Duration.ofSeconds(15)));
    }
}
