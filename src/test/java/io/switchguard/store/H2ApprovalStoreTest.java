package io.switchguard.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.io.TempDir;

/** The approval store's contract on the default store: an H2 file database, fresh per test. */
class H2ApprovalStoreTest extends ApprovalStoreContract {

    @TempDir
    Path dir;

    @Override
    protected DataSource openDataSource() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchguard"), "sa", "");
        pool.setMaxConnections(2 * JdbcActionStoreContract.RACERS);
        return pool;
    }

    @Override
    protected void closeDataSource(DataSource dataSource) throws SQLException {
        JdbcConnectionPool pool = (JdbcConnectionPool) dataSource;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        pool.dispose();
    }
}
