package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.SWAP;
import static io.switchguard.sandbox.SandboxApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.config.Targets;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A call that could not even be signed never left: FAILED "not sent", the lock given back at once. */
@QuarkusTest
@TestProfile(NotSentTest.IamToken.class)
class NotSentTest {

    public static class IamToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(SandboxApi.IAM_PASSWORD);
            m.put("switchguard.store.url", "jdbc:h2:mem:notsent;DB_CLOSE_DELAY=-1");
            return m;
        }
    }

    @Inject
    SandboxLauncher sandbox;

    @Test
    void aFailedIamTokenFetchIsFailedNotSentAndReleasesTheLock() {
        CloudSimulator cloud = sandbox.simulator();
        // IAM now refuses the configured password: every token fetch inside the signing filter fails.
        cloud.addIamUser("acme", "switchguard-bot", "rotated-elsewhere", Targets.DEMO_PROJECT);
        cloud.resetCalls();
        for (int i = 0; i < 2; i++) {
            // The second call proves the lock was released: it is not "another switchover in flight".
            post("swap", "{\"target\":\"demo-cache\",\"force\":true}").then().statusCode(502)
                    .body("status", equalTo("FAILED"))
                    .body("verification", equalTo("NONE"))
                    .body("error_code", equalTo("SG.5030"))
                    .body("error_msg", startsWith("not sent: "));
        }
        assertEquals(0, SandboxApi.calls(cloud, "POST", SWAP));
    }
}
