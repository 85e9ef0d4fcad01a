package io.switchguard.switchover;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.switchguard.config.Targets;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an answer means: a fact is recorded only once the cloud's state shows it, and each action ends once. */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class SwitchoverFactsTest {

    static final String KEY = "test-key-one-4c1a";
    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final String DW = "e59d6b86-9072-46eb-a996-13f8b44994c1";
    static final String SWAP = "/v2/" + Targets.DEMO_PROJECT + "/instances/" + CACHE + "/swap";
    static final String FAILOVER = "/v2/" + Targets.DEMO_PROJECT + "/disaster-recovery/" + DW + "/failover";

    @Inject
    SandboxLauncher sandbox;
    @Inject
    ActionStore store;
    @Inject
    OutboxStore outbox;

    CloudSimulator cloud;

    @BeforeEach
    void setUp() {
        cloud = sandbox.simulator();
        cloud.clearFaults();
        cloud.resetCalls();
    }

    @AfterEach
    void tearDown() {
        cloud.clearFaults();
        await().atMost(Duration.ofSeconds(15)).until(() -> store.list(null, 20).stream().allMatch(a -> a.finished()));
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    static Response post(String function, String body) {
        return api().body(body).post("/" + function);
    }

    long calls(String method, String path) {
        return cloud.count(method, Pattern.quote(path));
    }

    /** The event types of one action, in the order they were written. */
    List<String> events(String target, String actionId) {
        return outbox.forSubject(target).stream().filter(e -> e.data().contains("\"" + actionId + "\""))
                .map(OutboxEntry::type).map(t -> t.substring("io.switchguard.action.".length())).toList();
    }

    // ---- item 1: an answer that does not prove a refusal is UNKNOWN until the state is read ----

    @Test
    void aGateway502BehindWhichTheSwapHappenedEndsSucceededVerified() {
        String masterBefore = cloud.dcsMasterNode(CACHE);
        cloud.fault(CACHE, SandboxFault.GATEWAY_502_AFTER_EFFECT, 1);
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("VERIFIED"))
                .body("cloud.httpStatus", equalTo(502))
                .extract().path("actionId");
        assertNotEquals(masterBefore, cloud.dcsMasterNode(CACHE));
        assertEquals(1, calls("POST", SWAP));
        assertEquals(List.of("succeeded"), events("demo-cache", actionId));
    }

    @Test
    void a5xxWithTheRolesUnchangedEndsFailedWithTheCloudsCodeOnceTheStateWasRead() {
        String masterBefore = cloud.dcsMasterNode(CACHE);
        cloud.fault(CACHE, SandboxFault.DCS_5094, 1);
        post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("FAILED"))
                .body("error_code", equalTo("DCS.5094"))
                .body("cloud.httpStatus", equalTo(500))
                .body("steps.name", hasItem("verify"));
        assertEquals(masterBefore, cloud.dcsMasterNode(CACHE));
        assertEquals(1, calls("POST", SWAP));
    }

    @Test
    void a4xxWithTheCloudsOwnErrorBodyStaysFailedAtOnce() {
        cloud.fault(CACHE, SandboxFault.DCS_4855, 1);
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(502)
                .body("status", equalTo("FAILED"))
                .body("verification", equalTo("NONE"))
                .body("error_code", equalTo("DCS.4855"))
                .extract().path("actionId");
        assertEquals(List.of("failed"), events("demo-cache", actionId));
    }

    // ---- item 3: "succeeded" only once it is a fact; exactly one terminal event ----

    @Test
    void anAcceptedSwapThatDoesNotVerifyIsNeverCalledSucceeded() {
        cloud.fault(CACHE, SandboxFault.NO_EFFECT, 1);
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(202)
                .body("status", equalTo("SUBMITTED"))
                .body("verification", equalTo("PENDING"))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                api().get("/actions?target=demo-cache&limit=1").then()
                        .body("[0].actionId", equalTo(actionId))
                        .body("[0].status", equalTo("FAILED"))
                        .body("[0].verification", equalTo("FAILED"))
                        .body("[0].finishedAt", notNullValue()));
        assertEquals(List.of("submitted", "failed"), events("demo-cache", actionId));
    }

    @Test
    void aVerifiedSwapSendsOneSucceededEventAndNothingElse() {
        String actionId = post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("verification", equalTo("VERIFIED"))
                .extract().path("actionId");
        assertEquals(List.of("succeeded"), events("demo-cache", actionId));
    }

    @Test
    void aFailoverIsSubmittedThenEndsWithOneTerminalEvent() {
        String actionId = post("failover", "{\"target\":\"demo-dw\"}").then().statusCode(202)
                .body("status", equalTo("SUBMITTED")).body("verification", equalTo("PENDING"))
                .extract().path("actionId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(List.of("submitted", "succeeded"), events("demo-dw", actionId)));
        assertEquals(1, calls("POST", FAILOVER));
    }
}
