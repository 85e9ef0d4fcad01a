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

/** The switchover path's facts: what the cloud received, what the journal says, which events were sent. */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class SwitchoverServiceTest {

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

    // ---- item 7: a requestId always returns its first outcome ----

    @Test
    void aRequestIdWhoseFirstCallWasRejectedKeepsThatOutcome() {
        String requestId = "req-" + UUID.randomUUID();
        String body = "{\"target\":\"demo-cache\",\"requestId\":\"" + requestId + "\"}";
        // Someone else's switchover holds the target: the first call is refused.
        org.junit.jupiter.api.Assertions.assertTrue(store.tryLock("demo-cache", "someone-else", Duration.ofSeconds(30)));
        String first;
        try {
            first = post("swap", body).then().statusCode(409).body("status", equalTo("REJECTED"))
                    .body("error_code", equalTo("SG.4090")).extract().path("actionId");
        } finally {
            store.unlock("demo-cache", "someone-else");
        }
        // The target is free now, but the id was answered already: the same REJECTED, nothing sent.
        post("swap", body).then().statusCode(409).body("status", equalTo("REJECTED"))
                .body("actionId", equalTo(first));
        assertEquals(0, calls("POST", SWAP));
    }
}
