package io.switchguard.faas;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /init and /invoke outside FaaS mode (the default): they need the bearer key like every function, and /invoke
 * signs its cycle's cloud calls with the X-CFF-* credentials of that invocation. FaaS mode itself (open entry
 * points) is proven through the real bundle in {@link FunctionGraphBundleIT}.
 */
@QuarkusTest
class InvocationsTest {

    static final String KEY = "test-key-one-4c1a";
    static final String TIMER = """
            {"version":"v1.0","time":"2026-11-23T08:30:00+08:00","trigger_type":"TIMER",
             "trigger_name":"switchguard-check","user_event":"check"}""";
    static final String TEMP_AK = "TEMPAKFAASTEST0001";
    static final String TEMP_SK = "temp-sk-faas-never-logged-51c9";
    static final String TOKEN = "temp-security-token-faas-2b8e";

    @Inject
    SandboxLauncher sandbox;
    @Inject
    io.switchguard.cloud.CloudAuth auth;

    CloudSimulator cloud;

    @BeforeEach
    void setUp() {
        cloud = sandbox.simulator();
        cloud.acceptKey(TEMP_AK, TEMP_SK);
        cloud.resetCalls();
    }

    static RequestSpecification withKey() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    @Test
    void initAndInvokeNeedTheKeyOutsideFaasMode() {
        given().contentType(ContentType.JSON).body("{}").post("/init").then().statusCode(401)
                .body("error_code", equalTo("SG.4010"));
        given().contentType(ContentType.JSON).body(TIMER).post("/invoke").then().statusCode(401);
        withKey().body("{}").post("/init").then().statusCode(200);
        assertTrue(cloud.calls().isEmpty(), "a refused invocation must not reach the cloud");
    }

    @Test
    void invokeRunsOneCycleSignedWithTheInvocationsTemporaryCredentials() {
        withKey().header("X-CFF-Access-Key", TEMP_AK).header("X-CFF-Secret-Key", TEMP_SK)
                .header("X-CFF-Security-Token", TOKEN).header("X-CFF-Request-Id", "req-1")
                .body(TIMER).post("/invoke")
                .then().statusCode(200)
                .body("targets", hasSize(4))
                .body("targets.find { it.target == 'demo-cache' }.decision.verdict", equalTo("NONE"))
                .body("targets.find { it.target == 'demo-dw' }.signals.cloud.health", equalTo("UP"));
        List<CloudSimulator.Call> calls = cloud.calls();
        // Two status calls per cache (instance, shards), two for the DRS job, one for the DWS DR.
        assertEquals(7, calls.size(), calls.toString());
        for (CloudSimulator.Call c : calls) {
            assertTrue(c.authenticated(), c.toString());
            assertTrue(c.headers().get("Authorization").contains("Access=" + TEMP_AK), c.headers().toString());
            assertEquals(TOKEN, c.headers().get("X-Security-Token"));
        }
    }

    @Test
    void withoutCffHeadersTheConfiguredCredentialsSign() {
        withKey().body(TIMER).post("/invoke").then().statusCode(200).body("targets", hasSize(4));
        assertFalse(cloud.calls().isEmpty());
        for (CloudSimulator.Call c : cloud.calls()) {
            assertTrue(c.headers().get("Authorization").contains("Access=TESTACCESSKEY"), c.headers().toString());
            assertFalse(c.headers().containsKey("X-Security-Token"));
        }
    }

    /** Its log line says which credentials signed: with none at all, none, not "configured". */
    @Test
    void anInvocationWithoutAnyCredentialsSaysSoInItsLog() {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        auth.useSandbox(null);
        try {
            withKey().header("X-CFF-Request-Id", "req-none").body(TIMER).post("/invoke").then().statusCode(200);
        } finally {
            auth.useSandbox(new io.switchguard.cloud.CloudAuth.AkSk("TESTACCESSKEY", "test-sk-never-logged-7d1e", null));
            root.removeHandler(capture);
        }
        String line = logged.stream().filter(m -> m.startsWith("faas invoke req-none")).findFirst()
                .orElseThrow(() -> new AssertionError("no invocation line in " + logged));
        assertTrue(line.contains(", no credentials,"), line);
        assertTrue(cloud.calls().stream().noneMatch(CloudSimulator.Call::authenticated), "nothing was signed");
    }

    @Test
    void temporaryCredentialsDoNotOutliveTheirInvocation() {
        withKey().header("X-CFF-Access-Key", TEMP_AK).header("X-CFF-Secret-Key", TEMP_SK)
                .body(TIMER).post("/invoke").then().statusCode(200);
        cloud.resetCalls();
        withKey().body(TIMER).post("/invoke").then().statusCode(200);
        assertTrue(cloud.calls().stream().noneMatch(c -> c.headers().get("Authorization").contains(TEMP_AK)));
    }

    /** Issue 17.3: HTTP functions with "Include Keys" get the X-CFF-Security-* set, on any path, e.g. /swap. */
    @Test
    void aKeyedSwapSignsWithTheHttpFunctionsIncludeKeysHeaders() {
        withKey().header("X-CFF-Security-Access-Key", TEMP_AK).header("X-CFF-Security-Secret-Key", TEMP_SK)
                .header("X-CFF-Security-Token", TOKEN)
                .body("{\"target\":\"demo-cache\",\"reason\":\"agency credentials\"}").post("/swap")
                .then().statusCode(200).body("status", equalTo("SUCCEEDED"));
        List<CloudSimulator.Call> calls = cloud.calls();
        assertTrue(calls.stream().anyMatch(c -> c.path().endsWith("/swap")), calls.toString());
        for (CloudSimulator.Call c : calls) {
            assertTrue(c.authenticated(), c.toString());
            assertTrue(c.headers().get("Authorization").contains("Access=" + TEMP_AK), c.headers().toString());
            assertEquals(TOKEN, c.headers().get("X-Security-Token"));
        }
    }

    /** Issue 17.3: the event set is read on every path that makes cloud calls, not only /invoke. */
    @Test
    void aKeyedCheckSignsWithTheEventHeaders() {
        withKey().header("X-CFF-Access-Key", TEMP_AK).header("X-CFF-Secret-Key", TEMP_SK)
                .header("X-CFF-Security-Token", TOKEN).body("{}").post("/check").then().statusCode(200);
        assertFalse(cloud.calls().isEmpty());
        for (CloudSimulator.Call c : cloud.calls()) {
            assertTrue(c.headers().get("Authorization").contains("Access=" + TEMP_AK), c.headers().toString());
        }
    }

    /** Issue 10.6: X-CFF credentials from a caller without a valid key never sign anything. */
    @Test
    void agencyHeadersWithoutAValidKeyAreRefusedAndNeverSign() {
        given().header("Authorization", "Bearer not-a-key").contentType(ContentType.JSON)
                .header("X-CFF-Security-Access-Key", TEMP_AK).header("X-CFF-Security-Secret-Key", TEMP_SK)
                .body("{\"target\":\"demo-cache\"}").post("/swap").then().statusCode(401);
        given().contentType(ContentType.JSON).header("X-CFF-Access-Key", TEMP_AK).header("X-CFF-Secret-Key", TEMP_SK)
                .body(TIMER).post("/invoke").then().statusCode(401);
        assertTrue(cloud.calls().isEmpty(), cloud.calls().toString());
    }

    /** Issue 17.2: the open health endpoints name no target. */
    @Test
    void healthNamesNoTarget() {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live")) {
            String body = given().get(path).then().statusCode(200).extract().asString();
            for (String target : List.of("demo-cache", "demo-cache-v1", "demo-db", "demo-dw")) {
                assertFalse(body.contains(target), path + " names " + target + ": " + body);
            }
        }
    }

    @Test
    void anEventThatIsNotAJsonObjectIs400() {
        withKey().body("[1,2]").post("/invoke").then().statusCode(400).body("error_code", equalTo("SG.4000"));
        withKey().body("not json").post("/invoke").then().statusCode(400);
        // The console's "test event" may be empty: still one cycle.
        withKey().post("/invoke").then().statusCode(200);
    }
}
