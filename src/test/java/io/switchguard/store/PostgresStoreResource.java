package io.switchguard.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.Map;

/** An embedded PostgreSQL as the application's store, configured the way an operator would: by URL and credentials. */
public class PostgresStoreResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgresDatabases postgres;

    @Override
    public Map<String, String> start() {
        postgres = EmbeddedPostgresDatabases.start();
        return Map.of(
                "switchguard.store.url", postgres.jdbcUrl("postgres"),
                "switchguard.store.username", "postgres",
                // The embedded server trusts local connections; a password still has to flow through.
                "switchguard.store.password", "not-checked-by-trust-auth",
                "quarkus.http.test-port", EmbeddedPostgresDatabases.freePort());
    }

    @Override
    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
