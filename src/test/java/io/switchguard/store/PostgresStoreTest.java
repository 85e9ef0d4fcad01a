package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.action.Action;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The same build on the shared store: switchguard.store.url names a PostgreSQL, so the pg datasource
 * is the active one, Flyway migrates it at start, and the journal and the lease run on it.
 */
@QuarkusTest
@WithTestResource(PostgresStoreResource.class)
class PostgresStoreTest {

    @Inject
    DataSource dataSource;

    @Inject
    AgroalDataSource agroalDataSource;

    @Inject
    ActionStore store;

    @Inject
    LeaseStore leases;

    @Inject
    LeaseKeeper keeper;

    @Test
    void aPostgresUrlActivatesThePostgresDatasourceOnly() throws SQLException {
        assertTrue(AgroalDataSourceUtil.dataSourceIfActive("pg").isPresent());
        assertTrue(AgroalDataSourceUtil.dataSourceIfActive("h2").isEmpty());
        try (Connection c = dataSource.getConnection()) {
            assertEquals("PostgreSQL", c.getMetaData().getDatabaseProductName());
            assertEquals(ConfigProvider.getConfig().getValue("switchguard.store.url", String.class),
                    c.getMetaData().getURL());
            assertEquals("postgres", c.getMetaData().getUserName());
        }
        try (Connection c = agroalDataSource.getConnection()) {
            assertEquals("PostgreSQL", c.getMetaData().getDatabaseProductName());
        }
    }

    @Test
    void flywayMigratedThePostgresStoreAtStart() throws SQLException {
        List<String> applied = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }
        assertTrue(applied.containsAll(List.of("1", "4")), () -> "applied migrations: " + applied);
    }

    @Test
    void theInjectedJournalAndLeaseRunOnPostgres() {
        Action action = JdbcActionStoreContract.action("a-pg", "orders-cache", JdbcActionStoreContract.T0, "req-pg")
                .withSteps(List.of(new Action.Step(JdbcActionStoreContract.T0, "guard.cooldown", "passed")));
        assertTrue(keeper.isLeader(), "the only instance takes the checker lease at start");
        Lease lease = keeper.lease().orElseThrow();
        assertEquals(Optional.of(lease), leases.live());

        JdbcActionStoreContract.openFenced(store, action, lease);

        assertEquals(action, store.findByRequestId("req-pg").orElseThrow());
        assertTrue(store.tryLock("erp-db", "instance-1", Duration.ofSeconds(15)));
        keeper.release();
        assertThrows(FencedException.class, () -> JdbcActionStoreContract.openFenced(store, JdbcActionStoreContract.action("a-pg-2", "orders-cache", JdbcActionStoreContract.T0, null), lease));
    }
}
