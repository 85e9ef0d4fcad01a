package io.switchguard.switchover;

import io.switchguard.store.ActionStore;
import io.switchguard.store.JdbcActionStore;
import io.switchguard.store.OutboxStore;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * The real journal on the real database, seen through a DataSource that writes down every transaction (one borrowed
 * connection: every store call is one) and its statements, for the calls made on one thread. Enabled only by
 * {@link SwapFastPathTest}'s profile.
 */
@Alternative
@Singleton
public class CountingStore {

    /** One borrowed connection: the statements prepared on it, in order, and whether it committed. */
    public record Tx(List<String> statements, boolean committed) {
        /** The statement kinds, e.g. "INSERT action_steps", for a readable failure message. */
        String summary() {
            return statements.stream().map(CountingStore::kind).toList().toString();
        }

        long count(String kind) {
            return statements.stream().map(CountingStore::kind).filter(kind::equals).count();
        }
    }

    private final List<Tx> recorded = Collections.synchronizedList(new ArrayList<>());
    private volatile Thread watched;

    @Produces
    @Singleton
    ActionStore countingActionStore(DataSource dataSource, OutboxStore outbox) {
        return new JdbcActionStore(counting(dataSource), outbox);
    }

    /** Records what the store does on the calling thread from now on. */
    public void watch() {
        recorded.clear();
        watched = Thread.currentThread();
    }

    /** What was recorded since {@link #watch()}. */
    public List<Tx> stop() {
        watched = null;
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    private DataSource counting(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return method.getName().equals("getConnection") && Thread.currentThread() == watched
                            ? recording((Connection) result) : result;
                });
    }

    private Connection recording(Connection real) {
        List<String> statements = new ArrayList<>();
        boolean[] committed = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "prepareStatement", "prepareCall", "nativeSQL" -> statements.add((String) args[0]);
                        case "createStatement" -> statements.add("STATEMENT");
                        case "commit" -> committed[0] = true;
                        case "close" -> recorded.add(new Tx(List.copyOf(statements), committed[0]));
                        default -> {}
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** "UPDATE target_locks", "SELECT actions", "SELECT CURRENT_TIMESTAMP"...: verb and first table. */
    static String kind(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        String verb = s.split(" ")[0].toUpperCase();
        String table = switch (verb) {
            case "INSERT" -> s.replaceFirst("(?i)^INSERT INTO (\\w+).*", "$1");
            case "UPDATE" -> s.replaceFirst("(?i)^UPDATE (\\w+).*", "$1");
            case "DELETE" -> s.replaceFirst("(?i)^DELETE FROM (\\w+).*", "$1");
            case "SELECT" -> s.matches("(?i).* FROM (\\w+).*") ? s.replaceFirst("(?i).*? FROM (\\w+).*", "$1")
                    : s.substring(7);
            default -> "";
        };
        return (verb + " " + table).strip();
    }
}
