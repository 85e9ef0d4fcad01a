package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.action.Action;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract on the default store: an H2 file database, fresh per test. */
class H2JdbcActionStoreTest extends JdbcActionStoreContract {

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

    /**
     * What the fence committed is on the file when the cloud is called: a process killed right after it leaves an
     * entry, its call line and its lock, so the swap it may have made is reconciled rather than unknown to anyone.
     * H2 held it in memory for its write delay; the journal was empty after the kill.
     */
    @Test
    void whatTheFenceCommittedSurvivesAKillBeforeTheCall() throws Exception {
        H2Files.close(dataSource()); // the migrated schema on the file; the writer process opens it alone
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                H2KilledWriter.class.getName(), dir.toString(), "killed-1").redirectErrorStream(true).start();
        String out = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(writer.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, writer.exitValue(), out);

        reopen();
        Action found = store.find("killed-1").orElseThrow(() -> new AssertionError("the entry was lost: " + out));
        assertEquals(List.of("accepted", "call"), found.steps().stream().map(Action.Step::name).toList());
        assertEquals(List.of("killed-1"), store.locks().stream().map(ActionStore.Lock::owner).toList());
    }
}
