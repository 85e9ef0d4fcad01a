package io.switchguard.faas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.TestPorts;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.Simulators;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FunctionGraph bundle as the platform runs it: target/switchguard-functiongraph.zip (built by the package
 * phase) unpacked to a fresh directory and started through its own {@code bootstrap}, configured only by
 * environment variables as infra/functiongraph/main.tf sets them, pointed at a cloud simulator living in this test.
 *
 * <p>Two functions, as deployed: the timer (event) function in event mode and the HTTP function behind API Gateway.
 * Neither has static AK/SK: the agency's per-invocation credentials are the credentials (CONTRACT §2, §7, issues
 * 17.1-17.3 and 10.6). Plus processes that must refuse to start.
 */
class FunctionGraphBundleIT {

    static final String PROJECT = "0a1b2c3d4e5f4a5b8c9d0e1f2a3b4c5d";
    static final String INSTANCE = "3f2e1d0c-4b5a-4987-8a6b-5c4d3e2f1a0b";
    /** Known to the simulator, configured nowhere in the bundle: a call signed with it would be a fallback. */
    static final String AK = "BUNDLESIMULATOROWNAK1";
    static final String SK = "bundle-simulator-sk-never-logged-0f3a";
    static final String API_KEY = "bundle-api-key-never-logged-77c2";
    static final String TEMP_AK = "BUNDLETEMPORARYAK001";
    static final String TEMP_SK = "bundle-temporary-sk-never-logged-a41d";
    static final String TOKEN = "bundle-security-token-never-logged-9e6b";
    static final String TIMER = "{\"version\":\"v1.0\",\"time\":\"2026-11-23T08:30:00+08:00\","
            + "\"trigger_type\":\"TIMER\",\"trigger_name\":\"switchguard-check\",\"user_event\":\"\"}";
    static final String SWAP = "{\"target\":\"cache\",\"reason\":\"bundle test\"}";

    @TempDir
    static Path work;

    static Vertx vertx;
    static CloudSimulator cloud;
    static String cloudUrl;
    static Path app;
    static Bundle timer;
    static Bundle http;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper json = new ObjectMapper();

    /** One started bundle: its process, log and base URL. */
    record Bundle(Process process, Path log, int port, String base) {}

    @BeforeAll
    static void startBundles() throws Exception {
        vertx = Vertx.vertx();
        cloud = Simulators.create(vertx, AK, SK, Clock.systemUTC());
        cloud.acceptKey(TEMP_AK, TEMP_SK);
        DcsSimulator.of(cloud).add(PROJECT, INSTANCE);
        cloudUrl = cloud.start(0);

        app = work.resolve("code");
        unpack(Path.of(System.getProperty("faas.bundle", "target/switchguard-functiongraph.zip")), app);
        assertTrue(Files.isExecutable(app.resolve("bootstrap")), "bootstrap must be executable at the zip root");
        assertTrue(Files.isRegularFile(app.resolve("quarkus-app/quarkus-run.jar")));

        // As main.tf configures huaweicloud_fgs_function.check and .http.
        timer = start("timer", functionEnv(Map.of("SWITCHGUARD_FAAS_EVENT_MODE", "true")), true);
        // The HTTP function keeps its own schedule here only so that its health has something to say.
        http = start("http", functionEnv(Map.of("SWITCHGUARD_CHECK_SCHEDULER", "true")), true);
    }

    /** What both functions get from main.tf: real provider, targets, no static keys, FaaS deployment. */
    static Map<String, String> functionEnv(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("SWITCHGUARD_CLOUD_PROVIDER", "huaweicloud");
        env.put("SWITCHGUARD_FAAS_ENABLED", "true");
        env.put("SWITCHGUARD_CLOUD_ENDPOINTS_DCS", cloudUrl);
        env.put("SWITCHGUARD_API_KEYS", API_KEY);
        env.put("SWITCHGUARD_TARGETS_CACHE_KIND", "dcs");
        env.put("SWITCHGUARD_TARGETS_CACHE_REGION", "eu-west-101");
        env.put("SWITCHGUARD_TARGETS_CACHE_PROJECT_ID", PROJECT);
        env.put("SWITCHGUARD_TARGETS_CACHE_INSTANCE_ID", INSTANCE);
        // Watched (cloud status only), so a timer cycle makes signed cloud calls.
        env.put("SWITCHGUARD_TARGETS_CACHE_PROBE_INTERVAL", "60s");
        // Each invocation here must reach the cloud to show whose credentials it signs with: no read is reused
        // across them (reuse within an interval is CloudSignalsTest's).
        env.put("SWITCHGUARD_CLOUD_SIGNALS_REUSE", "false");
        env.put("SWITCHGUARD_SWITCHOVER_VERIFY_TIMEOUT", "5s");
        env.put("SWITCHGUARD_SWITCHOVER_POLL_INITIAL", "50ms");
        env.putAll(extra);
        return env;
    }

    static Bundle start(String name, Map<String, String> config, boolean awaitReady) throws Exception {
        int port = TestPorts.free();
        ProcessBuilder pb = new ProcessBuilder(app.resolve("bootstrap").toString()).directory(app.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHGUARD_") || k.startsWith("QUARKUS_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("TMPDIR", Files.createDirectories(work.resolve("tmp-" + name)).toString());
        env.put("RUNTIME_MEMORY", "256");
        env.put("SWITCHGUARD_FAAS_PORT", Integer.toString(port));
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.putAll(config);
        Path log = work.resolve(name + ".log");
        Process process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Bundle bundle = new Bundle(process, log, port, "http://127.0.0.1:" + port);
        if (awaitReady) {
            awaitReady(bundle);
        }
        return bundle;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Bundle b : new Bundle[] {timer, http}) {
            if (b != null) {
                stop(b.process());
            }
        }
        if (cloud != null) {
            cloud.stop();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @BeforeEach
    void resetCalls() {
        cloud.resetCalls();
    }

    // ------------------------------------------------------------------ the timer (event) function

    /** Issue 17.1: targets, no static keys, FaaS: signs with the X-CFF credentials and never starts the simulator. */
    @Test
    void timerEventSignsWithTheAgencyCredentialsAndNoSimulatorRuns() throws Exception {
        HttpResponse<String> r = post(timer, "/invoke", TIMER, Map.of(
                "X-CFF-Request-Id", "bundle-req-1",
                "X-CFF-Access-Key", TEMP_AK,
                "X-CFF-Secret-Key", TEMP_SK,
                "X-CFF-Security-Token", TOKEN));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode report = json.readTree(r.body()).path("targets");
        assertTrue(report.isArray() && report.size() == 1, r.body());
        assertEquals("cache", report.get(0).path("target").asText());
        assertTrue(report.get(0).path("leader").asBoolean(), r.body());
        assertEquals("UP", report.get(0).path("signals").path("cloud").path("health").asText(), r.body());

        List<CloudSimulator.Call> calls = cloud.calls();
        assertFalse(calls.isEmpty(), "the cycle must have reached the (test's) cloud");
        for (CloudSimulator.Call c : calls) {
            assertTrue(c.authenticated(), c.toString());
            assertTrue(c.headers().get("Authorization").contains("Access=" + TEMP_AK), c.headers().toString());
            assertEquals(TOKEN, c.headers().get("X-Security-Token"));
        }
        // No in-process simulator: the function listens on its own port and nothing else.
        assertEquals(Set.of(timer.port()), listeningPorts(timer.process().pid()),
                "a FaaS process must open no simulator port");
        assertFalse(Files.readString(timer.log()).contains("SWITCHGUARD SANDBOX"), "the sandbox banner was printed");
    }

    @Test
    void initIsOpenInEventMode() throws Exception {
        HttpResponse<String> r = post(timer, "/init", "{}", Map.of());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Issue 10.6: event mode opens /init and /invoke only; a keyless /swap with agency headers is refused. */
    @Test
    void eventModeOpensNothingElse() throws Exception {
        Map<String, String> cff = Map.of("X-CFF-Access-Key", TEMP_AK, "X-CFF-Secret-Key", TEMP_SK);
        assertEquals(401, post(timer, "/swap", SWAP, cff).statusCode());
        assertEquals(401, get(timer, "/status").statusCode());
        assertEquals(0, cloud.calls().size(), cloud.calls().toString());
    }

    // ------------------------------------------------------------------ the HTTP function (API Gateway)

    /** Issue 17.2 / 10.6: on the HTTP function every path needs the key, /invoke and /init included. */
    @Test
    void httpFunctionNeedsTheKeyEverywhereAndIgnoresUnkeyedAgencyHeaders() throws Exception {
        Map<String, String> cff = Map.of("X-CFF-Access-Key", TEMP_AK, "X-CFF-Secret-Key", TEMP_SK,
                "X-CFF-Security-Access-Key", TEMP_AK, "X-CFF-Security-Secret-Key", TEMP_SK);
        assertEquals(401, post(http, "/invoke", TIMER, cff).statusCode());
        assertEquals(401, post(http, "/init", "{}", Map.of()).statusCode());
        assertEquals(401, post(http, "/swap", SWAP, cff).statusCode());
        Map<String, String> wrongKey = new java.util.HashMap<>(cff);
        wrongKey.put("Authorization", "Bearer not-the-key");
        assertEquals(401, post(http, "/swap", SWAP, wrongKey).statusCode());
        assertTrue(cloud.calls().stream().noneMatch(c -> c.path().endsWith("/swap")), cloud.calls().toString());
    }

    /** Issue 17.3: "Include Keys" sends X-CFF-Security-*; a keyed /swap signs with them. */
    @Test
    void keyedSwapSignsWithTheIncludeKeysHeaders() throws Exception {
        HttpResponse<String> r = post(http, "/swap", SWAP, Map.of("Authorization", "Bearer " + API_KEY,
                "X-CFF-Security-Access-Key", TEMP_AK, "X-CFF-Security-Secret-Key", TEMP_SK,
                "X-CFF-Security-Token", TOKEN));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("SUCCEEDED", json.readTree(r.body()).path("status").asText(), r.body());
        CloudSimulator.Call swap = cloud.calls().stream().filter(c -> c.path().endsWith("/swap")).findFirst()
                .orElseThrow();
        assertTrue(swap.authenticated());
        assertTrue(swap.headers().get("Authorization").contains("Access=" + TEMP_AK), swap.headers().toString());
        assertEquals(TOKEN, swap.headers().get("X-Security-Token"));
    }

    /**
     * A FaaS deployment has credentials only inside an invocation: a scheduled switchover must wait for the next
     * one and be signed with its agency credentials, not run from a background timer and fail "not sent".
     */
    @Test
    void aScheduledSwitchoverRunsInTheNextInvocationSignedWithItsCredentials() throws Exception {
        Map<String, String> keyed = Map.of("Authorization", "Bearer " + API_KEY);
        String at = java.time.Instant.now().plusSeconds(2).toString();
        HttpResponse<String> created = post(http, "/schedule",
                "{\"target\":\"cache\",\"at\":\"" + at + "\",\"reason\":\"bundle schedule\"}", keyed);
        assertEquals(200, created.statusCode(), created.body());
        String id = json.readTree(created.body()).path("id").asText();
        // Past its time, with no invocation: nothing may have happened to it (old code ran it unsigned).
        Thread.sleep(4_000);
        assertEquals("PENDING", schedule(id).path("state").asText(), schedule(id).toString());

        Map<String, String> invocation = Map.of("Authorization", "Bearer " + API_KEY,
                "X-CFF-Security-Access-Key", TEMP_AK, "X-CFF-Security-Secret-Key", TEMP_SK,
                "X-CFF-Security-Token", TOKEN);
        HttpResponse<String> r = post(http, "/invoke", TIMER, invocation);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json.readTree(r.body()).path("schedules").asInt(), r.body());
        JsonNode ran = schedule(id);
        assertEquals("DONE", ran.path("state").asText(), ran.toString());
        assertTrue(ran.path("outcome").asText().startsWith("SUCCEEDED/VERIFIED"), ran.toString());
        CloudSimulator.Call swap = cloud.calls().stream().filter(c -> c.path().endsWith("/swap")).findFirst()
                .orElseThrow(() -> new AssertionError("no swap reached the cloud: " + cloud.calls()));
        assertTrue(swap.headers().get("Authorization").contains("Access=" + TEMP_AK), swap.headers().toString());
        assertEquals(TOKEN, swap.headers().get("X-Security-Token"));
    }

    static JsonNode schedule(String id) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(http.base() + "/schedules?target=cache"))
                .header("Authorization", "Bearer " + API_KEY).timeout(Duration.ofSeconds(10)).build();
        for (JsonNode s : json.readTree(client.send(get, HttpResponse.BodyHandlers.ofString()).body())) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("schedule " + id + " not listed");
    }

    /** Issue 17.2: /q/health is open, so it names no target. */
    @Test
    void healthRevealsNoTargetToAnUnauthenticatedCaller() throws Exception {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live")) {
            HttpResponse<String> r = get(http, path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertFalse(r.body().contains("cache"), path + " names the target: " + r.body());
        }
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        post(timer, "/invoke", TIMER, Map.of("X-CFF-Access-Key", TEMP_AK, "X-CFF-Secret-Key", TEMP_SK,
                "X-CFF-Security-Token", TOKEN));
        String text = Files.readString(timer.log()) + Files.readString(http.log());
        assertTrue(text.contains("faas invoke"), "the invocation is logged: " + text);
        for (String secret : List.of(SK, TEMP_SK, TOKEN, API_KEY, TEMP_AK)) {
            assertFalse(text.contains(secret), "the log shows a secret");
        }
    }

    // ------------------------------------------------------------------ the store

    /**
     * The store URL in a config file named by a relative QUARKUS_CONFIG_LOCATIONS (relative to where the platform
     * starts the bootstrap) is the store the bundle opens: the bootstrap's move to $TMPDIR neither loses the file
     * nor outranks it with a store of its own.
     */
    @Test
    void theStoreNamedInAConfigFileIsTheOneTheBundleOpens() throws Exception {
        Path store = work.resolve("ops-store");
        Files.writeString(app.resolve("ops.yaml"), "switchguard:\n  store:\n    url: jdbc:h2:file:" + store + "\n");
        Bundle b = start("config-file", functionEnv(Map.of("QUARKUS_CONFIG_LOCATIONS", "ops.yaml")), false);
        try {
            awaitReady(b);
            assertTrue(Files.exists(work.resolve("ops-store.mv.db")), "the configured store was not opened:\n"
                    + Files.readString(b.log()));
        } finally {
            stop(b.process());
        }
    }

    // ------------------------------------------------------------------ refused starts

    /** Issue 17.1: outside FaaS, the real cloud without credentials is a startup error naming the keys. */
    @Test
    void realCloudWithoutCredentialsOutsideFaasDoesNotStart() throws Exception {
        Map<String, String> env = functionEnv(Map.of());
        env.remove("SWITCHGUARD_FAAS_ENABLED");
        String log = refusedStart("no-credentials", env);
        assertTrue(log.contains("switchguard.cloud.ak, switchguard.cloud.sk"), log);
        assertFalse(log.contains("SWITCHGUARD SANDBOX"), log);
    }

    /** Issue 17.8: an example's placeholders are no key and no credential. */
    @Test
    void placeholderKeysAndCredentialsDoNotStart() throws Exception {
        Map<String, String> env = functionEnv(Map.of(
                "SWITCHGUARD_API_KEYS", "<api-keys-from-your-secret-manager>",
                "SWITCHGUARD_CLOUD_AK", "<access-key-id-from-your-secret-manager>",
                "SWITCHGUARD_CLOUD_SK", "<secret-access-key-from-your-secret-manager>"));
        env.remove("SWITCHGUARD_FAAS_ENABLED");
        String log = refusedStart("placeholders", env);
        for (String key : List.of("switchguard.api.keys:", "switchguard.cloud.ak:", "switchguard.cloud.sk:")) {
            assertTrue(log.contains(key), key + " not named:\n" + log);
        }
    }

    static String refusedStart(String name, Map<String, String> env) throws Exception {
        Bundle b = start(name, env, false);
        try {
            assertTrue(b.process().waitFor(90, TimeUnit.SECONDS), "still running:\n" + Files.readString(b.log()));
            assertTrue(b.process().exitValue() != 0, "started:\n" + Files.readString(b.log()));
        } finally {
            stop(b.process());
        }
        return Files.readString(b.log());
    }

    // ------------------------------------------------------------------ helpers

    static HttpResponse<String> post(Bundle b, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(Bundle b, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(b.base() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void awaitReady(Bundle b) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!b.process().isAlive()) {
                throw new AssertionError("bootstrap exited with " + b.process().exitValue() + ":\n"
                        + Files.readString(b.log()));
            }
            try {
                if (get(b, "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("bundle not ready in 90 s:\n" + Files.readString(b.log()));
    }

    /**
     * TCP ports the process listens on: its socket inodes (/proc/pid/fd) matched against the LISTEN rows of
     * /proc/net/tcp and tcp6. The bootstrap execs the JVM, so the bootstrap's pid is the JVM's.
     */
    static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new java.util.TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            // Read once: the table changes between two reads on a busy machine.
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** Unpacks keeping each entry's Unix mode, as the platform's unzip does: bootstrap's 0755 must survive. */
    static void unpack(Path zip, Path into) throws IOException {
        assertTrue(Files.isRegularFile(zip), zip + " missing: run ./mvnw package first");
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : Collections.list(z.getEntries())) {
                Path target = into.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(into), "entry escapes the bundle: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target);
                }
                int mode = e.getUnixMode();
                if (mode != 0) {
                    Files.setPosixFilePermissions(target, permissions(mode));
                }
            }
        }
        ZipArchiveEntry bootstrap;
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            bootstrap = z.getEntry("bootstrap");
        }
        assertNotNull(bootstrap, "bootstrap at the zip root");
        assertEquals(0755, bootstrap.getUnixMode() & 0777, "bootstrap mode in the zip");
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }
}
