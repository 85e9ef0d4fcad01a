package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The journal contract on the shared store: a real PostgreSQL, started once for this class, a fresh database per test. */
class PostgresJdbcActionStoreTest extends JdbcActionStoreContract {

    private static EmbeddedPostgresDatabases postgres;

    /** This test's database (JUnit makes a new instance per test). */
    private String database;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresDatabases.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected DataSource openDataSource() throws SQLException {
        if (database == null) {
            database = postgres.createDatabase();
        }
        return postgres.dataSource(database, 2 * RACERS);
    }

    @Override
    protected void preferIndexes(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
        }
    }

    /** As a stopping process leaves it: every connection closed; the database stays for a restart. */
    @Override
    protected void closeDataSource(DataSource dataSource) {
        ((AgroalDataSource) dataSource).close();
    }
}
