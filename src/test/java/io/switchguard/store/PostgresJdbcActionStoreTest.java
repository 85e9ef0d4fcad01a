package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import java.sql.SQLException;
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

    /** As a stopping process leaves it: every connection closed; the database stays for a restart. */
    @Override
    protected void closeDataSource(DataSource dataSource) {
        ((AgroalDataSource) dataSource).close();
    }
}
