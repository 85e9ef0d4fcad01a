package io.switchguard.faas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.sandbox.CloudSimulator;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * environment variables, pointed at a cloud simulator living in this test. Port 8000 unless it is busy here.
 */
class FunctionGraphBundleIT {

    static final String PROJECT = "0a1b2c3d4e5f4a5b8c9d0e1f2a3b4c5d";
    static final String INSTANCE = "3f2e1d0c-4b5a-4987-8a6b-5c4d3e2f1a0b";
    static final String AK = "BUNDLECONFIGUREDAK01";
    static final String SK = "bundle-configured-sk-never-logged-0f3a";
    static final String API_KEY = "bundle-api-key-never-logged-77c2";
    static final String TEMP_AK = "BUNDLETEMPORARYAK001";
    static final String TEMP_SK = "bundle-temporary-sk-never-logged-a41d";
    static final String TOKEN = "bundle-security-token-never-logged-9e6b";
    static final String TIMER = "{\"version\":\"v1.0\",\"time\":\"2026-11-23T08:30:00+08:00\","
            + "\"trigger_type\":\"TIMER\",\"trigger_name\":\"switchguard-check\",\"user_event\":\"\"}";

    @TempDir
    static Path work;

    static Vertx vertx;
    static CloudSimulator cloud;
    static Process process;
    static Path log;
    static String base;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startBundle() throws Exception {
        vertx = Vertx.vertx();
        cloud = new CloudSimulator(vertx, AK, SK, Clock.systemUTC());
        cloud.acceptKey(TEMP_AK, TEMP_SK);
        cloud.addDcsInstance(PROJECT, INSTANCE);
        String cloudUrl = cloud.start(0);

        Path app = work.resolve("code");
        unpack(Path.of(System.getProperty("faas.bundle", "target/switchguard-functiongraph.zip")), app);
        Path bootstrap = app.resolve("bootstrap");
        assertTrue(Files.isExecutable(bootstrap), "bootstrap must be executable at the zip root");
        assertTrue(Files.isRegularFile(app.resolve("quarkus-app/quarkus-run.jar")));

        int port = portFree(8000) ? 8000 : freePort();
        ProcessBuilder pb = new ProcessBuilder(bootstrap.toString()).directory(app.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHGUARD_") || k.startsWith("QUARKUS_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());
        env.put("RUNTIME_MEMORY", "256");
        if (port != 8000) {
            env.put("SWITCHGUARD_FAAS_PORT", Integer.toString(port));
        }
        env.put("SWITCHGUARD_CLOUD_AK", AK);
        env.put("SWITCHGUARD_CLOUD_SK", SK);
        env.put("SWITCHGUARD_CLOUD_ENDPOINTS_DCS", cloudUrl);
        env.put("SWITCHGUARD_API_KEYS", API_KEY);
        env.put("SWITCHGUARD_TARGETS_CACHE_KIND", "dcs");
        env.put("SWITCHGUARD_TARGETS_CACHE_PROJECT_ID", PROJECT);
        env.put("SWITCHGUARD_TARGETS_CACHE_INSTANCE_ID", INSTANCE);
        // Watched (cloud status only), so a timer cycle makes signed cloud calls.
        env.put("SWITCHGUARD_TARGETS_CACHE_PROBE_INTERVAL", "60s");
        env.put("SWITCHGUARD_SWITCHOVER_VERIFY_TIMEOUT", "5s");
        env.put("SWITCHGUARD_SWITCHOVER_POLL_INITIAL", "50ms");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        log = work.resolve("bundle.log");
        process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        base = "http://127.0.0.1:" + port;
        awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (cloud != null) {
            cloud.stop();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void resetCalls() {
        cloud.resetCalls();
    }

    @Test
    void swapAnswersThroughTheBundleWithTheKeyAndOnlyWithIt() throws Exception {
        String body = "{\"target\":\"cache\",\"reason\":\"bundle test\"}";
        assertEquals(401, post("/swap", body, Map.of()).statusCode(), "FaaS mode opens /init and /invoke only");
        assertEquals(0, cloud.calls().size());

        HttpResponse<String> r = post("/swap", body, Map.of("Authorization", "Bearer " + API_KEY));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode action = json.readTree(r.body());
        assertEquals("SUCCEEDED", action.path("status").asText());
        CloudSimulator.Call swap = cloud.calls().stream().filter(c -> c.path().endsWith("/swap")).findFirst()
                .orElseThrow();
        assertTrue(swap.authenticated());
        assertTrue(swap.headers().get("Authorization").contains("Access=" + AK));
    }

    @Test
    void initIsOpenInFaasMode() throws Exception {
        HttpResponse<String> r = post("/init", "{}", Map.of());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void timerEventRunsACycleSignedWithTheInvocationsTemporaryCredentials() throws Exception {
        HttpResponse<String> r = post("/invoke", TIMER, Map.of(
                "X-CFF-Request-Id", "bundle-req-1",
                "X-CFF-Access-Key", TEMP_AK,
                "X-CFF-Secret-Key", TEMP_SK,
                "X-CFF-Security-Token", TOKEN));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode report = json.readTree(r.body()).path("targets");
        assertTrue(report.isArray() && report.size() == 1, r.body());
        assertEquals("cache", report.get(0).path("target").asText());
        // The cycle ran as the lease holder and read the cloud's status with the invocation's credentials.
        assertTrue(report.get(0).path("leader").asBoolean(), r.body());
        assertEquals("UP", report.get(0).path("signals").path("cloud").path("health").asText(), r.body());

        List<CloudSimulator.Call> calls = cloud.calls();
        assertFalse(calls.isEmpty());
        for (CloudSimulator.Call c : calls) {
            assertTrue(c.authenticated(), c.toString());
            assertTrue(c.headers().get("Authorization").contains("Access=" + TEMP_AK), c.headers().toString());
            assertEquals(TOKEN, c.headers().get("X-Security-Token"));
        }
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        post("/invoke", TIMER, Map.of("X-CFF-Access-Key", TEMP_AK, "X-CFF-Secret-Key", TEMP_SK,
                "X-CFF-Security-Token", TOKEN));
        String text = Files.readString(log);
        assertTrue(text.contains("faas invoke"), "the invocation is logged: " + text);
        for (String secret : List.of(SK, TEMP_SK, TOKEN, API_KEY, TEMP_AK)) {
            assertFalse(text.contains(secret), "the log shows a secret");
        }
    }

    // ------------------------------------------------------------------ helpers

    static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("bootstrap exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("bundle not ready in 90 s:\n" + Files.readString(log));
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

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
