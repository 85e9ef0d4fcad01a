package io.switchguard.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The status page itself is open (it holds no data); every call it makes for data needs the key. */
@QuarkusTest
class StatusPageAccessTest {

    static final String KEY = "Bearer test-key-one-4c1a";

    @Test
    void pageAndItsFilesLoadWithoutAKeyAndHoldNoSecret() {
        for (String file : new String[] {"/ui/", "/ui/index.html", "/ui/app.js", "/ui/app.css"}) {
            given().get(file).then().statusCode(200)
                    .body(not(containsString("test-key-one-4c1a")), not(containsString("test-key-two-9b2f")),
                            not(containsString("test-sk-never-logged-7d1e")));
        }
        given().get("/ui/").then().contentType(containsString("text/html")).body(containsString("<label for=\"api-key\">"));
        given().redirects().follow(false).get("/ui").then().statusCode(302).header("Location", "/ui/");
    }

    @Test
    void theDataThePageShowsStillNeedsTheKey() {
        given().get("/status").then().statusCode(401).body("error_code", equalTo("SG.4010"));
        given().get("/actions").then().statusCode(401);
        // Only reads of the page are open: a write to a /ui path, or a path that only looks like one, is not.
        given().contentType(ContentType.JSON).body("{\"target\":\"demo-cache\"}").post("/ui/").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/ui/../status").then().statusCode(401);
        given().header("Authorization", KEY).get("/status").then().statusCode(200)
                .body("targets.find { it.target == 'demo-cache' }.cooldown", equalTo("PT1M"))
                .body("targets.find { it.target == 'demo-cache' }.paused", notNullValue());
    }
}
