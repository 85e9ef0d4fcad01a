package io.switchguard.drill;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiKeys;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.Jdbc;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drills on a schedule: run once when due, windows and blocked dates block them (nothing sent), one runner wins. */
@QuarkusTest
@TestProfile(DrillTestProfile.class)
class DrillPlanTest {

    static final String KEY = "test-key-one-4c1a";
    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final String SWAP = "/v2/" + Targets.DEMO_PROJECT + "/instances/" + CACHE + "/swap";
    /** Once a year: a plan that is due only when a test says so. */
    static final String YEARLY = "0 0 1 1 *";

    @Inject
    SandboxLauncher sandbox;
    @Inject
    DrillPlanStore plans;
    @Inject
    DrillPlanService service;
    @Inject
    DrillStore drills;
    @Inject
    LeaseKeeper keeper;
    @Inject
    DataSource dataSource;
    @Inject
    ApiKeys keys;

    CloudSimulator cloud;

    @BeforeEach
    void setUp() {
        cloud = sandbox.simulator();
        cloud.clearFaults();
        cloud.clearDataPlaneFaults();
        cloud.resetCalls();
    }

    @AfterEach
    void tearDown() {
        plans.list(null).forEach(p -> plans.cancel(p.id(), "test"));
        await().atMost(Duration.ofSeconds(40)).until(() -> drills.list(null, 50).stream()
                .allMatch(d -> d.state().finished()));
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    long swaps() {
        return cloud.count("POST", Pattern.quote(SWAP));
    }

    String plan(String extra) {
        return api().body("{\"target\":\"demo-cache\",\"cron\":\"" + YEARLY + "\",\"hold\":\"1s\"" + extra + "}")
                .post("/drill-plan").then().statusCode(200).extract().path("id");
    }

    /** As if its time came just now. */
    void due(String id) {
        Jdbc.inTransaction(dataSource, "make plan due", c -> Jdbc.update(c,
                "UPDATE drill_plans SET next_at = ? WHERE plan_id = ?", Jdbc.databaseNow(c).minusSeconds(1), id));
    }

    List<DrillReport> drillsOf(String planId) {
        return drills.list("demo-cache", 50).stream().filter(d -> d.reason() != null && d.reason().contains(planId))
                .toList();
    }

    DrillReport awaitDrill(String planId) {
        await().atMost(Duration.ofSeconds(40)).until(() -> drillsOf(planId).stream()
                .anyMatch(d -> d.state().finished()));
        return drillsOf(planId).get(0);
    }

    @Test
    void aDuePlanRunsOneDrillAndMovesOnToItsNextTime() {
        String id = plan("");
        due(id);
        DrillReport d = awaitDrill(id);
        assertEquals(DrillReport.State.SUCCEEDED, d.state(), d.detail());
        assertEquals("window", d.guards().get(0).name());
        assertEquals(2, swaps());
        DrillPlan p = plans.find(id).orElseThrow();
        assertEquals(d.id(), p.lastDrillId());
        assertTrue(p.nextAt().isAfter(Instant.now()), "next time is the next cron time: " + p.nextAt());
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertEquals(1, drillsOf(id).size(), "once");
    }

    /** A plan names the key that made it and the one that cancelled it; its drills run on its maker's behalf. */
    @Test
    void aPlanNamesWhoCreatedAndWhoCancelledItAndItsDrillsRunOnTheCreatorsBehalf() {
        String one = keys.label(KEY);
        String two = keys.label("test-key-two-9b2f");
        String id = api().body("{\"target\":\"demo-cache\",\"cron\":\"" + YEARLY + "\",\"hold\":\"1s\"}")
                .post("/drill-plan").then().statusCode(200).body("createdBy", equalTo(one)).extract().path("id");
        due(id);
        DrillReport drill = awaitDrill(id);
        api().get("/drill-report?id=" + drill.id()).then().statusCode(200).body("startedBy", equalTo(one));
        given().header("Authorization", "Bearer test-key-two-9b2f").contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\"}").post("/drill-plan-cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED")).body("createdBy", equalTo(one)).body("cancelledBy", equalTo(two));
        api().get("/drill-plans?target=demo-cache").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.cancelledBy", equalTo(two));
    }

    @Test
    void outsideItsAllowedWindowsThePlannedDrillIsBlockedAndNothingIsSent() {
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).getDayOfWeek()
                .getDisplayName(TextStyle.SHORT, Locale.ROOT);
        String id = plan(",\"allowed\":[\"" + tomorrow + " 00:00-24:00\"]");
        due(id);
        DrillReport d = awaitDrill(id);
        assertEquals(DrillReport.State.BLOCKED, d.state());
        assertEquals(false, d.guards().get(0).passed(), d.guards().get(0).detail());
        assertEquals(0, swaps());
    }

    @Test
    void onABlockedDateThePlannedDrillIsBlockedAndNothingIsSent() {
        String id = plan(",\"blockedDates\":[\"" + LocalDate.now(ZoneOffset.UTC) + "\"]");
        due(id);
        DrillReport d = awaitDrill(id);
        assertEquals(DrillReport.State.BLOCKED, d.state());
        assertTrue(d.guards().get(0).detail().contains("blocked date"), d.guards().get(0).detail());
        assertEquals(0, swaps());
    }

    @Test
    void twoRunnersStartOneDrillOfADuePlan() {
        String id = plan("");
        due(id);
        List<CompletableFuture<Integer>> runs = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> service.runDue(keeper.leadership()))).toList();
        runs.forEach(CompletableFuture::join);
        awaitDrill(id);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertEquals(1, drillsOf(id).size());
        assertEquals(0, service.runDue(java.util.Optional.empty()), "a replica that does not lead runs nothing");
    }

    @Test
    void badPlanInputIs400() {
        api().body("{\"target\":\"demo-cache\",\"cron\":\"every tuesday\"}").post("/drill-plan").then()
                .statusCode(400);
        api().body("{\"target\":\"demo-cache\",\"cron\":\"" + YEARLY + "\",\"allowed\":[\"Funday 1-2\"]}")
                .post("/drill-plan").then().statusCode(400);
        api().body("{\"target\":\"demo-cache\",\"cron\":\"" + YEARLY + "\",\"blockedDates\":[\"xmas\"]}")
                .post("/drill-plan").then().statusCode(400);
        api().body("{\"target\":\"nope\",\"cron\":\"" + YEARLY + "\"}").post("/drill-plan").then().statusCode(404);
        given().get("/drill-plans").then().statusCode(401);
        assertTrue(plans.list(null).stream().allMatch(p -> p.state() == DrillPlan.State.CANCELLED), "none made");
    }
}
