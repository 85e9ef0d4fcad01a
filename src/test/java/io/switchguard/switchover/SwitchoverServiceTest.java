package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.SWAP;
import static io.switchguard.sandbox.SandboxApi.api;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The switchover path's facts: what the cloud received, what the journal says, which events were sent. */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class SwitchoverServiceTest extends SandboxSwitchoverTest {

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
