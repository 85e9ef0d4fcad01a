package io.switchguard.sandbox;

import io.switchguard.cloud.AkSkSigner;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Starts a fresh simulator on a free port per test and talks to it over real HTTP. */
public abstract class SandboxTestBase {
    protected static final String AK = "SANDBOXAK0000000001";
    protected static final String SK = "sandbox-secret-key-000000000000000000001";
    protected static final String PROJECT = "0123456789abcdef0123456789abcdef";
    protected static final String OTHER_PROJECT = "fedcba9876543210fedcba9876543210";
    protected static final String DCS_ID = "5560df16-cebf-4473-95c4-d1b573c16e79";
    protected static final String DRS_ID = "8c81a12f-2581-4424-a3ab-70ed874jb201";
    protected static final String DWS_ID = "e59d6b86-9072-46eb-a996-13f8b44994c1";

    protected static Vertx vertx;
    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    protected MutableClock clock;
    protected CloudSimulator sim;
    protected String base;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startSimulator() {
        clock = new MutableClock(Instant.now());
        sim = Simulators.create(vertx, AK, SK, clock);
        base = sim.start(0);
        DcsSimulator.of(sim).add(PROJECT, DCS_ID);
        DrsSimulator.of(sim).add(PROJECT, DRS_ID);
        DwsSimulator.of(sim).add(PROJECT, DWS_ID);
    }

    @AfterEach
    void stopSimulator() {
        sim.stop();
    }

    protected HttpResponse<String> signed(String method, String path, String body) {
        return signedWith(AK, SK, method, path, body);
    }

    protected HttpResponse<String> signedWith(String ak, String sk, String method, String path, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(base + path);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Project-Id", PROJECT);
        Map<String, String> toSend = AkSkSigner.sign(method, uri, headers, bytes, ak, sk, clock.instant());
        return send(method, uri, toSend, bytes, Duration.ofSeconds(30));
    }

    protected HttpResponse<String> unsigned(String method, String path, String body, Map<String, String> headers) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/json");
        return send(method, URI.create(base + path), h, bytes, Duration.ofSeconds(30));
    }

    protected HttpResponse<String> send(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    protected static String dcsSwapV2(String project, String id) {
        return "/v2/" + project + "/instances/" + id + "/swap";
    }

    protected static String dcsSwapV1(String project, String id) {
        return "/v1.0/" + project + "/instances/" + id + "/swap";
    }

    protected static String switchVip(String project, String id) {
        return "/v3/" + project + "/jobs/" + id + "/switch-vip";
    }

    protected static String failover(String project, String id) {
        return "/v2/" + project + "/disaster-recovery/" + id + "/failover";
    }
}
