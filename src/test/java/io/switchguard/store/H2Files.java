package io.switchguard.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/** The store contracts' default database: an H2 file in the test's own directory, as the application opens it. */
final class H2Files {

    private H2Files() {
    }

    /** A pool with room for the racing tests' connections on top of the store's own. */
    static DataSource open(Path dir) {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchguard"), "sa", "");
        pool.setMaxConnections(2 * JdbcActionStoreContract.RACERS);
        return pool;
    }

    /** As a stopping process leaves it: the database file closed, nothing cached in memory. */
    static void close(DataSource dataSource) throws SQLException {
        JdbcConnectionPool pool = (JdbcConnectionPool) dataSource;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        pool.dispose();
    }
}
