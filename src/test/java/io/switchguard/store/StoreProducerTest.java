package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.TestPorts;
import io.switchguard.action.Action;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The application wiring on the default database: an H2 URL activates the h2 datasource, Flyway migrates it at start, the producers serve it. */
@QuarkusTest
@TestProfile(StoreProducerTest.InMemoryStore.class)
class StoreProducerTest {

    public static class InMemoryStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchguard.store.url", "jdbc:h2:mem:store-producer;DB_CLOSE_DELAY=-1",
                    "quarkus.http.test-port", Integer.toString(TestPorts.free()));
        }
    }

    @Inject
    ActionStore store;

    @Inject
    LeaseStore leases;

    @Inject
    LeaseKeeper keeper;

    @Inject
    DataSource dataSource;

    @Test
    void theInjectedStoreJournalsIntoTheMigratedDatasource() {
        Action action = JdbcActionStoreContract.action("a-cdi", "orders-cache", JdbcActionStoreContract.T0, "req-cdi")
                .withSteps(List.of(new Action.Step(JdbcActionStoreContract.T0, "guard.cooldown", "passed")));
        store.begin(action);

        assertEquals(action, store.findByRequestId("req-cdi").orElseThrow());
        assertTrue(store.tryLock("orders-cache", "instance-1", Duration.ofSeconds(15)));
    }

    @Test
    void anH2UrlActivatesTheH2DatasourceOnly() throws SQLException {
        assertTrue(AgroalDataSourceUtil.dataSourceIfActive("h2").isPresent());
        assertTrue(AgroalDataSourceUtil.dataSourceIfActive("pg").isEmpty());
        try (Connection c = dataSource.getConnection()) {
            assertEquals("H2", c.getMetaData().getDatabaseProductName());
            assertEquals("jdbc:h2:mem:store-producer", c.getMetaData().getURL());
        }
    }

    @Test
    void theLeaseKeeperLeadsAndItsLeaseFencesTheJournal() {
        assertTrue(keeper.isLeader(), "the only instance takes the checker lease at start");
        Lease lease = keeper.lease().orElseThrow();
        assertEquals(LeaseStore.CHECKER, lease.name());
        assertEquals(Optional.of(lease.holder()), leases.live().map(Lease::holder));

        JdbcActionStoreContract.openFenced(store, JdbcActionStoreContract.action("a-fenced", "erp-db", JdbcActionStoreContract.T0, null), lease);
        keeper.release();

        assertTrue(store.find("a-fenced").isPresent());
        assertThrows(FencedException.class, () -> JdbcActionStoreContract.openFenced(store, JdbcActionStoreContract.action("a-late", "erp-db", JdbcActionStoreContract.T0, null), lease));
        assertTrue(keeper.renew(), "nobody else wants it: taken again");
        assertEquals(lease.epoch() + 1, keeper.lease().orElseThrow().epoch());
    }
}
