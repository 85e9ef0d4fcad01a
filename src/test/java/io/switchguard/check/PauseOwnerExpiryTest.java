package io.switchguard.check;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pauses with an owner and an expiry (issue #16 part 5): who paused is the key's label, a pause runs out by itself
 * (journaled and notified), and a forgotten one is raised again once per reminder period.
 */
@QuarkusTest
@TestProfile(PauseOwnerExpiryTest.Profile.class)
class PauseOwnerExpiryTest {

    static final String KEY = "test-key-one-4c1a";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:pause-owner;DB_CLOSE_DELAY=-1");
            // Events stay in the outbox, where the test reads them: nothing listens there.
            m.put("switchguard.notify.webhook", "http://127.0.0.1:" + DecisionSafetyTest.Configured.closedPort() + "/");
            m.put("switchguard.check.pause-reminder", "2s");
            for (String name : List.of("cache-expiring", "cache-forgotten", "cache-until")) {
                DecisionSafetyTest.Configured.target(m, name, "dcs", "instance-id", "inst-" + name);
                m.put("switchguard.targets." + name + ".probe.tcp", "127.0.0.1:"
                        + DecisionSafetyTest.Configured.closedPort());
                m.put("switchguard.targets." + name + ".probe.cloud", "false");
                m.put("switchguard.targets." + name + ".probe.interval", "1s");
                m.put("switchguard.targets." + name + ".probe.timeout", "300ms");
            }
            return m;
        }
    }

    @Inject
    Checker checker;
    @Inject
    Targets targets;
    @Inject
    LeaseKeeper keeper;
    @Inject
    OutboxStore outbox;
    @Inject
    ControlJournal controls;

    @BeforeEach
    void leading() {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
    }

    static Response post(String function, String body) {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body(body)
                .post("/" + function);
    }

    static Response status(String target) {
        return given().header("Authorization", "Bearer " + KEY).get("/status?target=" + target);
    }

    static String label() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));
        return "key-" + HexFormat.of().formatHex(digest).substring(0, 6);
    }

    long events(String target, String type) {
        return outbox.forSubject(target).stream().map(OutboxEntry::type).filter(type::equals).count();
    }

    void check(String target) {
        checker.check(targets.find(target).orElseThrow());
    }

    @Test
    void aPauseForADurationRecordsItsOwnerAndEndsByItself() throws Exception {
        post("pause", "{\"target\":\"cache-expiring\",\"reason\":\"kernel upgrade\",\"for\":\"1s\"}").then()
                .statusCode(200).body("by", equalTo(label())).body("until", notNullValue());
        status("cache-expiring").then().statusCode(200)
                .body("targets[0].paused", equalTo(true))
                .body("targets[0].pause.by", equalTo(label()))
                .body("targets[0].pause.reason", equalTo("kernel upgrade"))
                .body("targets[0].pause.until", notNullValue())
                .body("targets[0].pause.ageSeconds", notNullValue())
                .body("pauses[0].target", equalTo("cache-expiring"));
        check("cache-expiring");
        status("cache-expiring").then().body("targets[0].paused", equalTo(true));

        Thread.sleep(1100);
        check("cache-expiring");
        status("cache-expiring").then().statusCode(200)
                .body("targets[0].paused", equalTo(false))
                .body("targets[0].pause", nullValue());
        assertEquals(1, events("cache-expiring", Events.TARGET_RESUMED));
        List<ControlJournal.Control> journaled = controls.list("cache-expiring", 10);
        assertEquals(List.of("pause-expired", "pause"), journaled.stream().map(ControlJournal.Control::control).toList());
        assertEquals(label(), journaled.get(1).by());
        assertTrue(journaled.get(0).reason().contains("ran out"), journaled.get(0).reason());

        // Ended once: later cycles journal nothing more.
        Thread.sleep(1000);
        check("cache-expiring");
        assertEquals(1, events("cache-expiring", Events.TARGET_RESUMED));
        assertEquals(2, controls.list("cache-expiring", 10).size());
    }

    @Test
    void aForgottenPauseRaisesAReminderOncePerPeriod() throws Exception {
        post("pause", "{\"target\":\"cache-forgotten\",\"reason\":\"investigating\"}").then().statusCode(200);
        check("cache-forgotten");
        assertEquals(0, events("cache-forgotten", Events.TARGET_PAUSE_REMINDER));
        Thread.sleep(2100);
        check("cache-forgotten");
        assertEquals(1, events("cache-forgotten", Events.TARGET_PAUSE_REMINDER));
        Thread.sleep(1000);
        check("cache-forgotten");
        assertEquals(1, events("cache-forgotten", Events.TARGET_PAUSE_REMINDER), "once per period");
        Thread.sleep(1200);
        check("cache-forgotten");
        assertEquals(2, events("cache-forgotten", Events.TARGET_PAUSE_REMINDER));
        status("cache-forgotten").then().body("targets[0].paused", equalTo(true))
                .body("targets[0].pause.remindedAt", notNullValue());

        post("resume", "{\"target\":\"cache-forgotten\",\"reason\":\"done\"}").then().statusCode(200)
                .body("by", equalTo(label()));
        assertEquals(1, events("cache-forgotten", Events.TARGET_RESUMED));
        assertEquals("resume", controls.list("cache-forgotten", 1).get(0).control());
    }

    @Test
    void untilMustBeAFutureInstantAndNotCombinedWithFor() {
        post("pause", "{\"target\":\"cache-until\",\"until\":\"2020-01-01T00:00:00Z\"}").then().statusCode(400)
                .body("error_msg", containsString("not in the future"));
        post("pause", "{\"target\":\"cache-until\",\"until\":\"tomorrow\"}").then().statusCode(400)
                .body("error_msg", containsString("ISO-8601"));
        post("pause", "{\"target\":\"cache-until\",\"until\":\"2999-01-01T00:00:00Z\",\"for\":\"1h\"}").then()
                .statusCode(400).body("error_msg", containsString("not both"));
        post("pause", "{\"target\":\"cache-until\",\"for\":\"-5m\"}").then().statusCode(400);
        status("cache-until").then().body("targets[0].paused", equalTo(false));
        post("pause", "{\"target\":\"cache-until\",\"until\":\"2999-01-01T00:00:00Z\"}").then().statusCode(200);
        status("cache-until").then().body("targets[0].pause.until", equalTo("2999-01-01T00:00:00Z"));
    }
}
