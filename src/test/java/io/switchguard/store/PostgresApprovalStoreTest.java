package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import java.io.IOException;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The approval store's contract on the shared store: a real PostgreSQL, a fresh database per test. */
class PostgresApprovalStoreTest extends ApprovalStoreContract {

    private static EmbeddedPostgresDatabases postgres;

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
        return postgres.freshDataSource();
    }

    @Override
    protected void closeDataSource(DataSource dataSource) {
        ((AgroalDataSource) dataSource).close();
    }
}
