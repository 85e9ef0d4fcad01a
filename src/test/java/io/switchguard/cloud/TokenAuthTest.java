package io.switchguard.cloud;

import static io.switchguard.sandbox.SandboxApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token auth, the alternative to AK/SK: one IAM token, cached, sent as X-Auth-Token and never signed. */
@QuarkusTest
@TestProfile(TokenAuthTest.IamPassword.class)
class TokenAuthTest {

    public static class IamPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SandboxApi.IAM_PASSWORD;
        }
    }

    @Inject
    SandboxLauncher sandbox;

    @Test
    void switchoversUseOneCachedIamToken() {
        CloudSimulator cloud = sandbox.simulator();
        cloud.resetCalls();
        for (int i = 0; i < 2; i++) {
            post("swap", "{\"target\":\"demo-cache\"}").then().statusCode(200)
                    .body("status", equalTo("SUCCEEDED"));
        }
        List<CloudSimulator.Call> calls = cloud.calls();
        assertEquals(1, calls.stream().filter(c -> c.path().equals("/v3/auth/tokens")).count(), "token not cached");
        List<CloudSimulator.Call> dcs = calls.stream().filter(c -> c.path().startsWith("/v2/")).toList();
        assertTrue(dcs.size() >= 4);
        for (CloudSimulator.Call c : dcs) {
            assertTrue(c.authenticated());
            assertTrue(c.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("X-Auth-Token")));
            assertTrue(c.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization")));
        }
    }
}
