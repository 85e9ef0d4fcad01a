package io.switchguard.probe;

import io.switchguard.TestPorts;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * Real redis-server processes (the 6.2 binary shipped by embedded-redis) on free loopback ports. Every process
 * started is remembered so that {@link #stopAll()} in an @AfterAll ends them even when a test failed midway
 * (and a shutdown hook does, should the JVM go first).
 *
 * <p>Only the binary comes from embedded-redis: its RedisServer, asked to force-stop, kills without waiting, so
 * the port could still accept a connection right after stop().
 */
public final class LocalRedis {

    private static final List<LocalRedis> STARTED = new CopyOnWriteArrayList<>();
    private static File executable;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalRedis::stopAll, "local-redis-stop"));
    }

    private final int port;
    private final Path dir;
    private final Process process;

    private LocalRedis(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** A master with nothing saved to disk and a replica link that comes up at once. */
    public static LocalRedis master(String... extra) {
        return start(extra);
    }

    public static LocalRedis replicaOf(LocalRedis master, String... extra) {
        List<String> args = new ArrayList<>(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port)));
        args.addAll(List.of(extra));
        return start(args.toArray(String[]::new));
    }

    private static LocalRedis start(String... extra) {
        try {
            int port = TestPorts.free();
            // A replica writes the RDB it receives to its working directory, whatever "save" says: keep it out of the tree.
            Path dir = Files.createTempDirectory("local-redis-" + port + "-");
            List<String> args = new ArrayList<>(List.of(executable().getAbsolutePath(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                    "--save", "", "--appendonly", "no",
                    // Diskless and without delay: the replica link is up in milliseconds, and no RDB file is written.
                    "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"));
            args.addAll(List.of(extra));
            Process process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
            LocalRedis redis = new LocalRedis(port, dir, process);
            STARTED.add(redis);
            redis.awaitReady();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the log until redis says it is ready, then keeps draining it so the process never blocks on a full pipe. */
    private void awaitReady() throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = log.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Ready to accept connections")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (log.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // process gone
                    }
                }, "local-redis-log-" + port);
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("redis-server on port " + port + " did not start:\n" + seen);
    }

    private static synchronized File executable() throws IOException {
        if (executable == null) {
            executable = ExecutableProvider.newJarResourceProvider().get();
        }
        return executable;
    }

    public int port() {
        return port;
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", port);
    }

    /** Kills the process (SIGKILL): a crash, not a shutdown. */
    public void stop() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is not worth failing a test for.
        }
    }

    public static void stopAll() {
        for (LocalRedis redis : STARTED) {
            try {
                redis.stop();
            } catch (RuntimeException e) {
                System.err.println("could not stop redis on port " + redis.port + ": " + e);
            }
        }
        STARTED.clear();
    }
}
