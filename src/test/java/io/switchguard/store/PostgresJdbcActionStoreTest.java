package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The journal contract on the shared store: a real PostgreSQL, a fresh database per test. */
class PostgresJdbcActionStoreTest extends JdbcActionStoreContract {

    /** This test's database (JUnit makes a new instance per test). */
    private String database;

    @Override
    protected DataSource openDataSource() throws SQLException {
        EmbeddedPostgresDatabases postgres = EmbeddedPostgresDatabases.shared();
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
