package io.switchguard.store;

import io.switchguard.action.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A process that opens an action on the H2 file store, passes its fence and is then killed before it could call
 * the cloud (Runtime.halt: no shutdown hook, no H2 close), as a SIGKILL or an OOM kill ends a replica.
 * Run by {@link H2JdbcActionStoreTest}; args: the database directory, the action id.
 */
final class H2KilledWriter {

    private H2KilledWriter() {
    }

    public static void main(String[] args) {
        ActionStore store = new JdbcActionStore(H2Files.open(Path.of(args[0])));
        Action action = JdbcActionStoreContract.pending(args[1], "orders-cache", JdbcActionStoreContract.T0, null);
        store.open(action, Duration.ofMinutes(5), null, null);
        ActionStore.Held held = store.beforeCall("orders-cache", args[1], Duration.ofMinutes(5), null, args[1],
                List.of(new Action.Step(JdbcActionStoreContract.T0, "call", "attempt 1")));
        System.out.println(held);
        System.out.flush();
        Runtime.getRuntime().halt(held == ActionStore.Held.HELD ? 0 : 3);
    }
}
