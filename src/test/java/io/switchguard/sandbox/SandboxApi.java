package io.switchguard.sandbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.switchguard.config.Targets;
import io.switchguard.store.ActionStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the tests that call switchguard's own API against the sandbox cloud share: the test API key, the demo
 * targets' resource ids (Targets' sandbox defaults) and their cloud paths, and the reset and wait around each test.
 */
public final class SandboxApi {

    /** One of the test profile's API keys. */
    public static final String KEY = "test-key-one-4c1a";
    /** demo-cache (DCS v2), demo-cache-v1 (DCS v1), demo-db (DRS), demo-dw (DWS DR). */
    public static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    public static final String CACHE_V1 = "7f1c2a90-4b6e-4d0a-9c55-3e8b1d2f6a41";
    public static final String DB = "8c81a12f-2581-4424-a3ab-70ed874jb201";
    public static final String DW = "e59d6b86-9072-46eb-a996-13f8b44994c1";
    public static final String SWAP = "/v2/" + Targets.DEMO_PROJECT + "/instances/" + CACHE + "/swap";
    public static final String SWAP_V1 = "/v1.0/" + Targets.DEMO_PROJECT + "/instances/" + CACHE_V1 + "/swap";
    public static final String SWITCH_VIP = "/v3/" + Targets.DEMO_PROJECT + "/jobs/" + DB + "/switch-vip";
    public static final String FAILOVER = "/v2/" + Targets.DEMO_PROJECT + "/disaster-recovery/" + DW + "/failover";

    /** Cloud credentials by IAM password instead of AK/SK, for a test profile's overrides. */
    public static final Map<String, String> IAM_PASSWORD = Map.of(
            "switchguard.cloud.ak", "",
            "switchguard.cloud.sk", "",
            "switchguard.cloud.iam.user", "switchguard-bot",
            "switchguard.cloud.iam.password", "iam-password-never-logged",
            "switchguard.cloud.iam.domain", "acme");

    private SandboxApi() {
    }

    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    public static Response post(String function, String body) {
        return api().body(body).post("/" + function);
    }

    /** The simulator with no faults set and no calls counted: each test counts only its own calls. */
    public static CloudSimulator fresh(SandboxLauncher sandbox) {
        CloudSimulator cloud = sandbox.simulator();
        cloud.clearFaults();
        cloud.resetCalls();
        return cloud;
    }

    /** How often the cloud received this call (method and exact path). */
    public static long calls(CloudSimulator cloud, String method, String path) {
        return cloud.count(method, Pattern.quote(path));
    }

    /** Waits until every recent action has ended, so that no follower still holds a lock the next test needs. */
    public static void awaitFinished(ActionStore store) {
        await().atMost(Duration.ofSeconds(15)).until(() -> store.list(null, 20).stream().allMatch(a -> a.finished()));
    }

    /** The same wait read through GET /actions, for tests that do not hold the store. */
    public static void awaitActionsFinished() {
        await().atMost(Duration.ofSeconds(20)).until(() -> api().get("/actions?limit=20").jsonPath()
                .getList("finishedAt").stream().noneMatch(Objects::isNull));
    }
}
