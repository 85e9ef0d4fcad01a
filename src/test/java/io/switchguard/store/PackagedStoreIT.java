package io.switchguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.TestPorts;
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
        int port = TestPorts.free();
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
        String unreachable = "jdbc:postgresql://127.0.0.1:" + TestPorts.free() + "/nowhere";
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHGUARD_STORE_URL", unreachable);
        App app = start("bad-config", work.resolve("bad"), env, List.of("-Dswitchguard.targets.broken.kind=memcached",
                "-Dswitchguard.targets.broken.project-id=p1", "-Dswitchguard.targets.broken.instance-id=i1"));
        assertTrue(app.process().waitFor(60, TimeUnit.SECONDS), "a bad configuration must stop startup");
        assertNotEquals(0, app.process().exitValue());
        String out = app.output();
        assertTrue(out.contains("switchguard.targets.broken.kind"), out);
    }

    /** API keys "none" starts, and says loudly that anyone who reaches the port can switch over. */
    @Test
    void withTheApiKeysOffTheLogSaysAuthenticationIsOff() throws Exception {
        Path dir = work.resolve("keys-off");
        App app = start("keys-off", dir, Map.of("SWITCHGUARD_API_KEYS", "none", "QUARKUS_CONFIG_LOCATIONS",
                h2Config(dir).toString()), List.of());
        ready(app);
        assertTrue(app.output().contains("switchguard.api.keys=none: API authentication is OFF"), app.output());
    }

    /** The owner of every target as one replica's /status shows it. */
    static Map<String, String> owners(App app) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode t : JSON.readTree(get(app, "/status").body()).path("targets")) {
            out.put(t.path("target").asText(), t.path("owner").isNull() ? null : t.path("owner").asText());
        }
        return out;
    }

    static String id(App app) throws Exception {
        return JSON.readTree(get(app, "/status").body()).path("instance").path("id").asText();
    }

    /**
     * A config file for an H2 file store in dir with one target, "kept". A target of its own, too, because the
     * sandbox's demo targets open data-plane listeners on ports the kernel picks, which can be the one picked for
     * the child's HTTP port before it binds it.
     */
    Path h2Config(Path dir) throws IOException {
        Path file = work.resolve(dir.getFileName() + ".yaml");
        Files.writeString(file, "switchguard:\n  store: {url: 'jdbc:h2:file:" + dir.resolve("db") + "'}\n"
                + "  targets:\n    kept: {kind: dcs, region: sandbox-1, project-id: 0000000000000000000000000000test,"
                + " instance-id: kept-instance}\n");
        return file;
    }

    /**
     * The default store, an H2 file: what /swap answered is in the journal after the process is killed (SIGKILL)
     * right after the answer. H2 keeps a commit in memory for its write delay (500 ms by default) unless told to
     * write each one; a swap whose entries were lost that way had happened in the cloud with no trace, no lock and
     * nothing for reconciliation to finish (issue #11: journal before and after every call).
     */
    @Test
    void aSwapAnsweredOnTheH2FileStoreIsInTheJournalAfterASigkill() throws Exception {
        Path dir = work.resolve("h2");
        Map<String, String> env = Map.of("QUARKUS_CONFIG_LOCATIONS", h2Config(dir).toString());
        App first = start("h2-first", dir, env, List.of());
        ready(first);
        HttpResponse<String> swap = post(first, "/swap", "{\"target\":\"kept\"}");
        first.process().destroyForcibly();
        assertEquals(200, swap.statusCode(), swap.body());
        JsonNode answered = JSON.readTree(swap.body());
        assertEquals("VERIFIED", answered.path("verification").asText(), swap.body());
        assertTrue(first.process().waitFor(15, TimeUnit.SECONDS));

        App second = start("h2-second", dir, env, List.of());
        ready(second);
        JsonNode journal = JSON.readTree(get(second, "/actions?target=kept").body());
        assertEquals(1, journal.size(), "the answered swap, and only it, is in the journal: " + journal);
        JsonNode kept = journal.get(0);
        assertEquals(answered.path("actionId").asText(), kept.path("actionId").asText());
        assertEquals("SUCCEEDED", kept.path("status").asText(), kept.toString());
        assertEquals("VERIFIED", kept.path("verification").asText(), kept.toString());
        assertFalse(kept.path("finishedAt").isNull(), kept.toString());
    }

    /**
     * A drill cut off by a SIGKILL during its hold does not stay RUNNING: after the restart the leader finds its row
     * untouched for stale-claim and ends it FAILED, saying the switch away happened and no switch back was sent.
     */
    @Test
    void aDrillCutOffByASigkillIsEndedFailedAfterTheRestart() throws Exception {
        Path dir = work.resolve("h2-drill");
        Map<String, String> env = Map.of("QUARKUS_CONFIG_LOCATIONS", h2Config(dir).toString(),
                "SWITCHGUARD_DRILLS_STALE_CLAIM", "3s");
        App first = start("h2-drill-first", dir, env, List.of());
        ready(first);
        HttpResponse<String> started = post(first, "/drill", "{\"target\":\"kept\",\"hold\":\"60s\"}");
        assertEquals(200, started.statusCode(), started.body());
        String id = JSON.readTree(started.body()).path("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!get(first, "/drill-report?id=" + id).body().contains("\"name\":\"hold\"")) {
            assertTrue(System.nanoTime() < deadline, "no hold within 20 s: " + get(first, "/drill-report?id=" + id).body());
            Thread.sleep(200);
        }
        first.process().destroyForcibly();
        assertTrue(first.process().waitFor(15, TimeUnit.SECONDS));

        App second = start("h2-drill-second", dir, env, List.of());
        ready(second);
        JsonNode report = null;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            report = JSON.readTree(get(second, "/drill-report?id=" + id).body());
            if (!"RUNNING".equals(report.path("state").asText())) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals("FAILED", report.path("state").asText(), report.toString());
        assertTrue(report.path("detail").asText().contains("ended SUCCEEDED/VERIFIED")
                && report.path("detail").asText().contains("no switch back was sent"), report.toString());
        JsonNode journal = JSON.readTree(get(second, "/actions?target=kept").body());
        assertEquals(1, journal.size(), "the switch away, and nothing on the dead drill's behalf: " + journal);
    }

    /**
     * A clean stop (SIGTERM) on the H2 file store gives back what the process held, so its restart leads at once.
     * H2 closed the database from its own shutdown hook while the application was still stopping: the lease, the
     * shard leases and the outbox claims were not released ("Database is already closed"), and a restarted single
     * replica waited out its predecessor's lease, checking nothing, for up to a whole lease TTL.
     */
    @Test
    void aCleanStopOnTheH2FileStoreGivesTheLeaseBackSoTheRestartLeadsAtOnce() throws Exception {
        Path dir = work.resolve("h2-stop");
        Map<String, String> env = Map.of("QUARKUS_CONFIG_LOCATIONS", h2Config(dir).toString(),
                "SWITCHGUARD_STORE_LEASE_TTL", "120s");
        App first = start("h2-stop-first", dir, env, List.of());
        assertTrue(ready(first).path("instance").path("leader").asBoolean(), first.output());
        first.process().destroy();
        assertTrue(first.process().waitFor(15, TimeUnit.SECONDS), first.output());

        App second = start("h2-stop-second", dir, env, List.of());
        JsonNode status = ready(second);
        assertTrue(status.path("instance").path("leader").asBoolean(),
                "the restart leads without waiting out a 120 s lease: " + status.path("instance") + " "
                        + status.path("lease"));
        assertFalse(first.output().contains("Database is already closed"), first.output());
    }

    /**
     * The same requestId sent to the other replica while the first call is still out: its answer is the first
     * call's outcome, once the first call has it, never the entry as journaled before the call (504 UNKNOWN while
     * the first caller got 200 SUCCEEDED), and nothing is sent from the second replica (issue #11 item 7).
     */
    @Test
    void aRequestIdRepeatedOnTheOtherReplicaMidCallGetsTheFirstCallsOutcome() throws Exception {
        String url = postgres.jdbcUrl(postgres.createDatabase());
        Path file = work.resolve("idempotent.yaml");
        Files.writeString(file, yaml(url) + "  targets:\n    kept: {kind: dcs, region: sandbox-1, project-id: "
                + "0000000000000000000000000000test, instance-id: kept-instance}\n");
        int cloudA = TestPorts.free();
        int cloudB = TestPorts.free();
        // The swap takes effect at once and its answer comes after 3 s, past the 2 s read timeout: the first caller
        // reads the state, and answers about 2 s after its call.
        Map<String, String> env = Map.of("QUARKUS_CONFIG_LOCATIONS", file.toString(),
                "SWITCHGUARD_SANDBOX_SLOW_DELAY", "3s", "SWITCHGUARD_CLOUD_READ_TIMEOUT", "2s");
        App a = start("idem-a", work.resolve("idem-a"), with(env, "SWITCHGUARD_SANDBOX_PORT", cloudA), List.of());
        App b = start("idem-b", work.resolve("idem-b"), with(env, "SWITCHGUARD_SANDBOX_PORT", cloudB), List.of());
        ready(a);
        ready(b);
        HttpResponse<String> fault = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloudA
                + "/_sandbox/faults")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                .ofString("{\"resource\":\"kept-instance\",\"fault\":\"SLOW\",\"times\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fault.statusCode(), fault.body());

        String body = "{\"target\":\"kept\",\"requestId\":\"chg-repeated-1\"}";
        java.util.concurrent.CompletableFuture<HttpResponse<String>> first = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return post(a, "/swap", body);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        // The first call is journaled and out (its answer is 3 s away) when the second caller repeats it.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (JSON.readTree(get(b, "/actions?target=kept").body()).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the first call was never journaled");
            Thread.sleep(50);
        }
        HttpResponse<String> repeated = post(b, "/swap", body);
        HttpResponse<String> answered = first.get(20, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals(200, repeated.statusCode(), repeated.body());
        JsonNode one = JSON.readTree(answered.body());
        JsonNode two = JSON.readTree(repeated.body());
        assertEquals(one.path("actionId").asText(), two.path("actionId").asText());
        assertEquals("SUCCEEDED", two.path("status").asText(), repeated.body());
        assertEquals("VERIFIED", two.path("verification").asText(), repeated.body());
        HttpResponse<String> callsB = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloudB
                + "/_sandbox/calls")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(callsB.body().contains("/swap"), "the second replica sent nothing: " + callsB.body());
    }

    static Map<String, String> with(Map<String, String> env, String key, int value) {
        Map<String, String> out = new HashMap<>(env);
        out.put(key, Integer.toString(value));
        return out;
    }

    /**
     * Issue #13 part 6, end to end: two packaged replicas on one PostgreSQL split twelve targets (each owned by
     * exactly one of them, none by nobody, both agreeing), and when one is killed with SIGKILL the other owns them
     * all within the lease TTL and one renewal round, each of the dead one's shards under a new epoch.
     */
    @Test
    void twoReplicasSplitTheTargetsAndTheSurvivorOwnsThemAllAfterAKill() throws Exception {
        String url = postgres.jdbcUrl(postgres.createDatabase());
        int tcp = URI.create(url.substring("jdbc:".length())).getPort();
        StringBuilder yaml = new StringBuilder(yaml(url)).append("    shards: 8\n  targets:\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("shared-" + i);
            // A cheap probe: the database's own port answers every connect.
            yaml.append("    shared-").append(i).append(": {kind: drs, region: sandbox-1, project-id: ")
                    .append("0000000000000000000000000000test, job-id: job-").append(i).append(", mode: source, ")
                    .append("auto: false, probe: {tcp: \"127.0.0.1:").append(tcp)
                    .append("\", cloud: false, interval: 1s, timeout: 500ms}}\n");
        }
        Path file = work.resolve("shared.yaml");
        Files.writeString(file, yaml.toString());
        // Liveness judges a target stale after 3 intervals + verify-timeout: 1 s here, so 4 s tell.
        Map<String, String> env = Map.of("QUARKUS_CONFIG_LOCATIONS", file.toString(),
                "SWITCHGUARD_SWITCHOVER_VERIFY_TIMEOUT", "1s");
        App a = start("shard-a", work.resolve("a"), env, List.of());
        App b = start("shard-b", work.resolve("b"), env, List.of());
        ready(a);
        ready(b);
        // The liveness check counts from its first call: make it now, so the later call can see stale targets.
        get(a, "/q/health/live");
        get(b, "/q/health/live");
        String idA = id(a);
        String idB = id(b);

        Map<String, String> seenA = null;
        Map<String, String> seenB = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            seenA = owners(a);
            seenB = owners(b);
            if (seenA.equals(seenB) && seenA.values().containsAll(List.of(idA, idB))
                    && seenA.values().stream().allMatch(o -> idA.equals(o) || idB.equals(o))) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(new java.util.TreeSet<>(names), new java.util.TreeSet<>(seenA.keySet()));
        assertEquals(seenA, seenB, "both replicas agree who owns what");
        assertTrue(seenA.values().containsAll(List.of(idA, idB)), "both own some targets: " + seenA);
        for (Map.Entry<String, String> e : seenA.entrySet()) {
            assertTrue(idA.equals(e.getValue()) || idB.equals(e.getValue()), e + " is owned by nobody live");
        }
        // A replica is alive although another owns some targets: it skips them on schedule, it is not stuck.
        Thread.sleep(6000);
        for (App app : List.of(a, b)) {
            HttpResponse<String> live = get(app, "/q/health/live");
            assertEquals(200, live.statusCode(), live.body());
        }
        JsonNode shards = JSON.readTree(get(b, "/status").body()).path("shards");
        assertEquals(8, shards.path("count").asInt());
        assertEquals(2, shards.path("replicas").size(), shards.toString());
        // The killed replica's shards and their epochs: each is a new term once the survivor takes it.
        Map<String, Long> orphaned = new HashMap<>();
        shards.path("leases").forEach(l -> {
            if (idA.equals(l.path("holder").asText())) {
                orphaned.put(l.path("shard").asText(), l.path("epoch").asLong());
            }
        });
        assertFalse(orphaned.isEmpty(), shards.toString());

        a.process().destroyForcibly();
        assertTrue(a.process().waitFor(15, TimeUnit.SECONDS));
        long killed = System.nanoTime();
        Map<String, String> after = null;
        while (System.nanoTime() - killed < Duration.ofSeconds(60).toNanos()) {
            after = owners(b);
            if (after.values().stream().allMatch(idB::equals)) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(after.values().stream().allMatch(idB::equals), "the survivor does not own every target: " + after);
        System.out.printf("survivor owns every target %d ms after the kill (lease-ttl 3s)%n",
                Duration.ofNanos(System.nanoTime() - killed).toMillis());
        JsonNode now = JSON.readTree(get(b, "/status").body()).path("shards");
        assertEquals(1, now.path("replicas").size(), now.toString());
        for (JsonNode l : now.path("leases")) {
            Long before = orphaned.get(l.path("shard").asText());
            if (before != null) {
                assertTrue(l.path("epoch").asLong() > before, "taken over under a new epoch: " + l);
            }
        }
    }
}
