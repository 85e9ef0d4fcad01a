package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The budget units' contract on the shared store: a real PostgreSQL, a fresh database per test. */
class PostgresBudgetUnitsTest extends BudgetUnitsContract {

    @Override
    protected DataSource openDataSource() throws SQLException {
        return EmbeddedPostgresDatabases.shared().freshDataSource();
    }

    @Override
    protected void closeDataSource(DataSource dataSource) {
        ((AgroalDataSource) dataSource).close();
    }
}
