package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application (target/quarkus-app/quarkus-run.jar) as an operator runs it: separate processes, two at
 * a time on one embedded PostgreSQL, the store URL in each place the README names (issue #10 items 1, 7, 10).
 */
class PackagedStoreIT {

    static final String KEY = "packaged-it-key-never-logged-3b7e";
    static final Path JAR = Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedPostgresDatabases postgres;

    @TempDir
    Path work;

    final List<App> started = new ArrayList<>();

    /** One child process: its port, its log. */
    record App(Process process, int port, Path log) {

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresDatabases.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @AfterEach
    void stopApps() throws InterruptedException {
        for (App app : started) {
            app.process().destroy();
            if (!app.process().waitFor(15, TimeUnit.SECONDS)) {
                app.process().destroyForcibly();
            }
        }
    }

    /** Starts the jar in dir with the given environment additions and system properties. */
    App start(String name, Path dir, Map<String, String> env, List<String> properties) throws IOException {
        int port = Integer.parseInt(EmbeddedPostgresDatabases.freePort());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(properties);
        command.addAll(List.of("-jar", JAR.toString()));
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SWITCHGUARD_") || k.startsWith("QUARKUS_"));
        e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        e.put("SWITCHGUARD_API_KEYS", KEY);
        e.put("SWITCHGUARD_CLOUD_PROVIDER", "sandbox");
        e.put("SWITCHGUARD_STORE_LEASE_TTL", "3s");
        e.putAll(env);
        Path log = work.resolve(name + ".log");
        App app = new App(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start(), port, log);
        started.add(app);
        return app;
    }

    /** Waits until /status answers (the store migrated, the lease keeper running), or fails with the log. */
    JsonNode ready(App app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(app.process().isAlive(), "the application exited " + exit(app) + ":\n" + app.output());
            try {
                HttpResponse<String> r = get(app, "/status");
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within 60 s:\n" + app.output());
    }

    static String exit(App app) {
        return app.process().isAlive() ? "(running)" : "with " + app.process().exitValue();
    }

    static HttpResponse<String> get(App app, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(App app, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String yaml(String url) {
        return "switchguard:\n  store:\n    url: \"" + url + "\"\n    username: postgres\n    password: trust-auth-ignores-it\n";
    }

    /** Two replicas on one database: one lease, one holder; what one journals the other reads. */
    static void assertOneStore(App a, App b) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode sa = null;
        JsonNode sb = null;
        while (System.nanoTime() < deadline) {
            sa = JSON.readTree(get(a, "/status").body());
            sb = JSON.readTree(get(b, "/status").body());
            if (sa.path("instance").path("leader").asBoolean() != sb.path("instance").path("leader").asBoolean()) {
                break;
            }
            Thread.sleep(300);
        }
        assertNotEquals(sa.path("instance").path("leader").asBoolean(), sb.path("instance").path("leader").asBoolean(),
                "exactly one of two replicas on one store leads:\n" + sa + "\n" + sb);
        assertEquals(sa.path("lease").path("holder").asText(), sb.path("lease").path("holder").asText());
    }

    @Test
    void theStoreUrlCountsFromTheWorkingDirectoryConfigAndFromAQuarkusConfigLocationsFile() throws Exception {
        String url = postgres.jdbcUrl(postgres.createDatabase());
        Path one = work.resolve("one");
        Files.createDirectories(one.resolve("config"));
        Files.writeString(one.resolve("config/application.yaml"), yaml(url));
        Path two = work.resolve("two");
        Path file = work.resolve("store.yaml");
        Files.writeString(file, yaml(url));

        App a = start("working-dir-config", one, Map.of(), List.of());
        App b = start("config-locations", two, Map.of("QUARKUS_CONFIG_LOCATIONS", file.toString()), List.of());
        ready(a);
        ready(b);
        assertOneStore(a, b);
        assertFalse(a.output().contains("Datasource 'h2'"), a.output());

        // Item 7: a pause served by the replica without the lease holds on both, through the leader's cycles.
        App follower = JSON.readTree(get(a, "/status").body()).path("instance").path("leader").asBoolean() ? b : a;
        App leader = follower == a ? b : a;
        assertEquals(200, post(follower, "/pause", "{\"target\":\"demo-cache\",\"reason\":\"it maintenance\"}")
                .statusCode());
        Thread.sleep(5000);
        for (App app : List.of(leader, follower)) {
            JsonNode t = JSON.readTree(get(app, "/status?target=demo-cache").body()).path("targets").path(0);
            assertTrue(t.path("paused").asBoolean(), t.toString());
            assertEquals("it maintenance", t.path("pauseReason").asText());
        }
    }

    @Test
    void theStoreUrlCountsFromTheEnvironmentAndFromSystemProperties() throws Exception {
        String url = postgres.jdbcUrl(postgres.createDatabase());
        App a = start("environment", work.resolve("env"), Map.of("SWITCHGUARD_STORE_URL", url,
                "SWITCHGUARD_STORE_USERNAME", "postgres", "SWITCHGUARD_STORE_PASSWORD", "trust-auth-ignores-it"),
                List.of());
        App b = start("system-properties", work.resolve("props"), Map.of(), List.of("-Dswitchguard.store.url=" + url,
                "-Dswitchguard.store.username=postgres", "-Dswitchguard.store.password=trust-auth-ignores-it"));
        ready(a);
        ready(b);
        assertOneStore(a, b);
    }

    /** Item 10: a configuration error is named before the store is opened, even when the store is unreachable. */
    @Test
    void aConfigurationErrorIsNamedEvenWhenTheStoreIsUnreachable() throws Exception {
        String unreachable = "jdbc:postgresql://127.0.0.1:" + EmbeddedPostgresDatabases.freePort() + "/nowhere";
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHGUARD_STORE_URL", unreachable);
        App app = start("bad-config", work.resolve("bad"), env, List.of("-Dswitchguard.targets.broken.kind=memcached",
                "-Dswitchguard.targets.broken.project-id=p1", "-Dswitchguard.targets.broken.instance-id=i1"));
        assertTrue(app.process().waitFor(60, TimeUnit.SECONDS), "a bad configuration must stop startup");
        assertNotEquals(0, app.process().exitValue());
        String out = app.output();
        assertTrue(out.contains("switchguard.targets.broken.kind"), out);
    }
}
