package io.switchguard.store;

import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/** The budget units' contract on the default store: an H2 file database, fresh per test. */
class H2BudgetUnitsTest extends BudgetUnitsContract {

    @TempDir
    Path dir;

    @Override
    protected DataSource openDataSource() {
        return H2Files.open(dir);
    }

    @Override
    protected void closeDataSource(DataSource dataSource) throws SQLException {
        H2Files.close(dataSource);
    }
}
