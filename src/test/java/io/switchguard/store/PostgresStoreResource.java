package io.switchguard.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchguard.TestPorts;
import java.sql.SQLException;
import java.util.Map;

/**
 * An embedded PostgreSQL as the application's store, configured the way an operator would: by URL and credentials.
 * A fresh database on the test run's shared server, which outlives the application.
 */
public class PostgresStoreResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        EmbeddedPostgresDatabases postgres = EmbeddedPostgresDatabases.shared();
        try {
            return Map.of(
                    "switchguard.store.url", postgres.jdbcUrl(postgres.createDatabase()),
                    "switchguard.store.username", "postgres",
                    // The embedded server trusts local connections; a password still has to flow through.
                    "switchguard.store.password", "not-checked-by-trust-auth",
                    "quarkus.http.test-port", Integer.toString(TestPorts.free()));
        } catch (SQLException e) {
            throw new IllegalStateException("no database for the application's store", e);
        }
    }

    @Override
    public void stop() {
        // The shared server stays for the next test; its database is this application's alone.
    }
}
