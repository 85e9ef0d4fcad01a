package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The schedule contract on the shared store: a real PostgreSQL, a fresh database per test. */
class PostgresScheduleStoreTest extends ScheduleStoreContract {

    @Override
    protected DataSource openDataSource() throws SQLException {
        return EmbeddedPostgresDatabases.shared().freshDataSource();
    }

    @Override
    protected void closeDataSource(DataSource dataSource) {
        ((AgroalDataSource) dataSource).close();
    }
}
