package io.switchguard.switchover;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.switchguard.config.Targets;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A call that could not even be signed never left: FAILED "not sent", the lock given back at once. */
@QuarkusTest
@TestProfile(NotSentTest.IamToken.class)
class NotSentTest {

    public static class IamToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "switchguard.cloud.ak", "",
                    "switchguard.cloud.sk", "",
                    "switchguard.cloud.iam.user", "switchguard-bot",
                    "switchguard.cloud.iam.password", "iam-password-never-logged",
                    "switchguard.cloud.iam.domain", "acme",
                    "switchguard.store.url", "jdbc:h2:mem:notsent;DB_CLOSE_DELAY=-1");
        }
    }

    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";

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
            given().header("Authorization", "Bearer test-key-one-4c1a").contentType(ContentType.JSON)
                    .body("{\"target\":\"demo-cache\",\"force\":true}").post("/swap").then().statusCode(502)
                    .body("status", equalTo("FAILED"))
                    .body("verification", equalTo("NONE"))
                    .body("error_code", equalTo("SG.5030"))
                    .body("error_msg", startsWith("not sent: "));
        }
        assertEquals(0, cloud.count("POST", Pattern.quote("/v2/" + Targets.DEMO_PROJECT + "/instances/" + CACHE
                + "/swap")));
    }
}
