package io.switchguard.function;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.switchguard.drill.DrillFunctions;
import io.switchguard.drill.DrillPlanFunctions;
import io.switchguard.drill.ScheduleFunctions;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * src/main/resources/META-INF/resources/openapi.yaml against the running service (sandbox): every Funqy function
 * has a path; every documented path, verb and status code is produced by a real call, and its body has the
 * documented fields with the documented types and no others; every documented request field is read (a wrong type
 * is a 400 naming it); every property the description lists shows up in some answer.
 */
@QuarkusTest
@TestProfile(OpenApiContractTest.Own.class)
class OpenApiContractTest {

    /** Its own application: the faults, swaps and pauses here must not leak into other tests' sandbox. */
    public static class Own implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchguard.store.url", "jdbc:h2:mem:openapi;DB_CLOSE_DELAY=-1");
        }
    }

    static final String DCS = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final String DCS_V1 = "7f1c2a90-4b6e-4d0a-9c55-3e8b1d2f6a41";
    static final String DRS = "8c81a12f-2581-4424-a3ab-70ed874jb201";
    static final String DWS = "e59d6b86-9072-46eb-a996-13f8b44994c1";
    /** A valid target per function, for calls that must get past the target check. */
    static final Map<String, String> TARGET = Map.of("/swap", "demo-cache", "/switch-vip", "demo-db",
            "/failover", "demo-dw", "/switchover", "demo-dw", "/pause", "demo-cache-v1", "/resume", "demo-cache-v1");

    @Inject
    SandboxLauncher sandbox;

    OpenApiSpec spec;
    /** The action /resolve ends. */
    String open;
    /** The schedule, drill and drill plan made here, for the calls that read or cancel them. */
    String schedule;
    String drill;
    String plan;
    /** A time a schedule may be made for. */
    final String later = Instant.now().plus(Duration.ofHours(1)).toString();
    final Set<String> seen = new TreeSet<>();

    @Test
    void theDescriptionMatchesTheEndpoints() throws IOException {
        spec = OpenApiSpec.load();
        given().get("/openapi.yaml").then().statusCode(401);
        assertEquals(Files.readString(OpenApiSpec.SPEC), key().get("/openapi.yaml").then().statusCode(200).extract()
                .asString(), "served as kept in the repo");

        Set<String> functions = OpenApiSpec.functions(List.of(ActionsFunction.class, CheckFunctions.class,
                SwitchoverFunctions.class, BudgetFunctions.class, ScheduleFunctions.class, DrillFunctions.class,
                DrillPlanFunctions.class, ApprovalFunctions.class));
        assertTrue(spec.paths().containsAll(functions), "every function is described: " + functions + " in "
                + spec.paths());

        Map<String, Supplier<Response>> cases = cases();
        // /approve and /deny need targets in approval mode: OpenApiApprovalContractTest calls those.
        assertEquals(spec.documented(p -> !OpenApiApprovalContractTest.PATHS.contains(p)),
                new TreeSet<>(cases.keySet()), "each documented answer has a call that gives it");

        List<String> problems = new ArrayList<>(spec.check(cases));
        problems.addAll(spec.requestFieldsAreRead(validBodies(), List.of("/status?target=bad_name",
                "/actions?target=bad_name", "/actions?limit=x", "/schedules?target=bad_name", "/drills?target=bad_name",
                "/drill-plans?target=bad_name", "/drill-report?id=bad!id")));
        assertEquals(List.of(), problems);

        Set<String> unseen = spec.unseen();
        // A dead notification needs a sink that gives up, and some probes never measure every field.
        // The demo targets are not in approval mode: OpenApiApprovalContractTest sees the Approval fields.
        unseen.removeIf(p -> p.startsWith("OutboxEntry.") || p.startsWith("SwitchoverRequest.")
                || p.startsWith("DrillRequest.") || p.startsWith("Approval."));
        assertEquals(Set.of(), unseen, "documented fields no answer had");
    }

    /** "VERB /path status" -> the call that answers it; run in this order (state carries from one to the next). */
    private Map<String, Supplier<Response>> cases() {
        CloudSimulator sim = sandbox.simulator();
        Map<String, Supplier<Response>> c = new LinkedHashMap<>();
        for (String f : List.of("/swap", "/switch-vip", "/failover", "/switchover", "/pause", "/resume")) {
            c.put("POST " + f + " 401", () -> given().contentType(ContentType.JSON).body("{}").post(f));
            c.put("POST " + f + " 400", () -> post(f, "{\"target\":12345}"));
            c.put("POST " + f + " 404", () -> post(f, "{\"target\":\"no-such-target\"}"));
        }
        for (String f : List.of("/status", "/actions")) {
            c.put("GET " + f + " 401", () -> given().get(f));
            c.put("GET " + f + " 404", () -> key().get(f + "?target=no-such-target"));
        }
        c.put("GET /status 400", () -> key().get("/status?target=bad_name"));
        c.put("GET /actions 400", () -> key().get("/actions?limit=0"));
        for (String f : List.of("/check", "/init", "/invoke")) {
            c.put("POST " + f + " 401", () -> given().contentType(ContentType.JSON).body("{}").post(f));
            c.put("POST " + f + " 200", () -> post(f, "{}"));
        }
        c.put("POST /sandbox/faults 401", () -> given().contentType(ContentType.JSON).body("{}").post("/sandbox/faults"));
        c.put("POST /sandbox/faults 400", () -> post("/sandbox/faults", "{\"kind\":\"down\"}"));
        c.put("POST /sandbox/faults 404", () -> post("/sandbox/faults", "{\"target\":\"no-such-target\"}"));
        c.put("GET /q/metrics 401", () -> given().get("/q/metrics"));
        c.put("GET /q/metrics 200", () -> key().get("/q/metrics"));

        drillsSchedulesAndTheBudget(c);

        c.put("POST /swap 200", () -> post("/swap", "{\"target\":\"demo-cache\",\"dryRun\":true,\"requestId\":\"openapi-1\"}"));
        c.put("POST /switch-vip 200", () -> post("/switch-vip", "{\"target\":\"demo-db\",\"dryRun\":true,\"mode\":\"source\"}"));
        c.put("POST /failover 200", () -> post("/failover", "{\"target\":\"demo-dw\",\"dryRun\":true}"));
        c.put("POST /switchover 200", () -> post("/switchover", "{\"target\":\"demo-dw\",\"dryRun\":true}"));
        // A guard says no: demo-cache's standby is 200 MB behind.
        c.put("POST /sandbox/faults 200", () -> post("/sandbox/faults", "{\"target\":\"demo-cache\",\"kind\":\"lag\"}"));
        c.put("POST /swap 409", () -> {
            Response r = post("/swap", "{\"target\":\"demo-cache\",\"reason\":\"openapi\"}");
            post("/sandbox/faults", "{\"target\":\"demo-cache\",\"kind\":\"none\"}");
            return r;
        });
        // The idempotency key of the dry run above, for another target.
        for (String f : List.of("/switch-vip", "/failover", "/switchover")) {
            c.put("POST " + f + " 409", () -> post(f, "{\"target\":\"" + TARGET.get(f) + "\",\"requestId\":\"openapi-1\"}"));
        }
        c.put("POST /swap 502", () -> faulted(DCS, SandboxFault.DCS_5094, "/swap", "demo-cache"));
        c.put("POST /switch-vip 502", () -> faulted(DRS, SandboxFault.DRS_FAILED, "/switch-vip", "demo-db"));
        c.put("POST /failover 502", () -> faulted(DWS, SandboxFault.HTTP_500, "/failover", "demo-dw"));
        c.put("POST /switchover 502", () -> faulted(DWS, SandboxFault.HTTP_500, "/switchover", "demo-dw"));
        c.put("POST /failover 202", () -> settled(post("/failover", "{\"target\":\"demo-dw\"}"), sim));
        c.put("POST /switchover 202", () -> settled(post("/switchover", "{\"target\":\"demo-dw\"}"), sim));
        // No answer in time and no status API to learn the outcome from: UNKNOWN. demo-cache-v1's stays open
        // (its status API still answers 404) for /resolve below.
        c.put("POST /swap 504", () -> unanswered(DCS_V1, "/swap", "demo-cache-v1", false));
        c.put("POST /switch-vip 504", () -> unanswered(DRS, "/switch-vip", "demo-db", true));
        // force: without the status API the max-data-loss guard cannot measure, and says no.
        c.put("POST /failover 504", () -> settled(unanswered(DWS, "/failover", "demo-dw", true), sim));
        c.put("POST /switchover 504", () -> settled(unanswered(DWS, "/switchover", "demo-dw", true), sim));

        c.put("POST /resolve 401", () -> given().contentType(ContentType.JSON).body("{}").post("/resolve"));
        c.put("POST /resolve 400", () -> post("/resolve", "{\"target\":\"demo-cache\",\"actionId\":\"x\",\"outcome\":\"FAILED\"}"));
        c.put("POST /resolve 404", () -> post("/resolve", "{\"target\":\"demo-cache\",\"actionId\":\"no-such-action\","
                + "\"outcome\":\"FAILED\",\"reason\":\"openapi\"}"));
        // An operator ends a failover still running (the simulated DR takes 20 s to settle here).
        c.put("POST /resolve 200", () -> {
            DwsSimulator.of(sim).setFailoverTime(Duration.ofSeconds(20));
            open = post("/failover", "{\"target\":\"demo-dw\"}").then().statusCode(202).extract().jsonPath()
                    .getString("actionId");
            return post("/resolve", resolution(open, "SUCCEEDED"));
        });
        c.put("POST /resolve 409", () -> {
            Response r = post("/resolve", resolution(open, "FAILED"));
            DwsSimulator.of(sim).setFailoverTime(Duration.ofSeconds(1));
            sim.fault(DCS_V1, SandboxFault.STATUS_404, 0);
            return r;
        });
        c.put("POST /pause 200", () -> post("/pause", "{\"target\":\"demo-cache-v1\",\"reason\":\"openapi\"}"));
        c.put("POST /resume 200", () -> post("/resume", "{\"target\":\"demo-cache-v1\"}"));
        c.put("GET /status 200", () -> {
            // A decision that started an action, so the last decision names it: demo-cache's master dies.
            post("/sandbox/faults", "{\"target\":\"demo-cache\",\"kind\":\"down\"}");
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(2100)).until(() -> {
                post("/check", "{}");
                return key().get("/status?target=demo-cache").jsonPath()
                        .getString("targets[0].lastDecision.actionId") != null;
            });
            post("/sandbox/faults", "{\"target\":\"demo-cache\",\"kind\":\"none\"}");
            return key().get("/status");
        });
        c.put("GET /actions 200", () -> key().get("/actions?limit=100"));
        return c;
    }

    /**
     * The drill/, schedule and budget functions (after /check, so the drill's checks have an observation to read).
     * The drill runs on demo-db and has ended, switched away and back, before the next case.
     */
    private void drillsSchedulesAndTheBudget(Map<String, Supplier<Response>> c) {
        for (String f : List.of("/schedule", "/schedule-cancel", "/drill", "/drill-plan", "/drill-plan-cancel",
                "/budget/reset")) {
            c.put("POST " + f + " 401", () -> given().contentType(ContentType.JSON).body("{}").post(f));
        }
        for (String f : List.of("/schedules", "/drills", "/drill-plans", "/drill-report", "/drill-report.html")) {
            c.put("GET " + f + " 401", () -> given().get(f + "?id=x"));
        }
        c.put("POST /schedule 400", () -> post("/schedule", "{\"target\":\"demo-cache\",\"at\":\"yesterday\","
                + "\"reason\":\"openapi\"}"));
        c.put("POST /schedule 404", () -> post("/schedule", scheduleBody("no-such-target", null)));
        c.put("POST /schedule 200", () -> {
            Response r = post("/schedule", scheduleBody("demo-cache", "openapi-schedule"));
            schedule = r.jsonPath().getString("id");
            return r;
        });
        // The same requestId for another target.
        c.put("POST /schedule 409", () -> post("/schedule", scheduleBody("demo-db", "openapi-schedule")));
        c.put("GET /schedules 200", () -> key().get("/schedules?target=demo-cache"));
        c.put("GET /schedules 400", () -> key().get("/schedules?target=bad_name"));
        c.put("POST /schedule-cancel 400", () -> post("/schedule-cancel", "{\"id\":\"x\"}"));
        c.put("POST /schedule-cancel 404", () -> post("/schedule-cancel", "{\"id\":\"no-such-schedule\","
                + "\"reason\":\"openapi\"}"));
        c.put("POST /schedule-cancel 200", () -> post("/schedule-cancel", cancelBody(schedule)));
        c.put("POST /schedule-cancel 409", () -> post("/schedule-cancel", cancelBody(schedule)));

        c.put("POST /drill 400", () -> post("/drill", "{\"target\":\"demo-db\",\"hold\":\"forever\"}"));
        c.put("POST /drill 404", () -> post("/drill", "{\"target\":\"no-such-target\"}"));
        // Paused: a blocking check says no, nothing is sent.
        c.put("POST /drill 409", () -> {
            post("/pause", "{\"target\":\"demo-db\",\"reason\":\"openapi\"}").then().statusCode(200);
            Response r = post("/drill", "{\"target\":\"demo-db\",\"hold\":\"1s\"}");
            post("/resume", "{\"target\":\"demo-db\"}").then().statusCode(200);
            return r;
        });
        c.put("POST /drill 200", () -> {
            Response r = post("/drill", "{\"target\":\"demo-db\",\"hold\":\"1s\",\"reason\":\"openapi\"}");
            drill = r.jsonPath().getString("id");
            if (drill != null) {
                await().atMost(Duration.ofSeconds(40)).until(() -> !"RUNNING".equals(
                        key().get("/drill-report?id=" + drill).jsonPath().getString("state")));
            }
            return r;
        });
        c.put("GET /drill-report 200", () -> key().get("/drill-report?id=" + drill));
        c.put("GET /drill-report 400", () -> key().get("/drill-report"));
        c.put("GET /drill-report 404", () -> key().get("/drill-report?id=no-such-drill"));
        c.put("GET /drill-report.html 200", () -> key().get("/drill-report.html?id=" + drill));
        c.put("GET /drill-report.html 404", () -> key().get("/drill-report.html?id=no-such-drill"));
        c.put("GET /drills 200", () -> key().get("/drills"));
        c.put("GET /drills 400", () -> key().get("/drills?target=bad_name"));

        c.put("POST /drill-plan 400", () -> post("/drill-plan", "{\"target\":\"demo-cache\",\"cron\":\"whenever\"}"));
        c.put("POST /drill-plan 404", () -> post("/drill-plan", "{\"target\":\"no-such-target\",\"cron\":\"0 3 1 1 *\"}"));
        // New Year's night, so it never comes due while this runs; cancelled below.
        c.put("POST /drill-plan 200", () -> {
            Response r = post("/drill-plan", "{\"target\":\"demo-cache\",\"cron\":\"0 3 1 1 *\",\"hold\":\"5s\","
                    + "\"reason\":\"openapi\",\"allowed\":[\"Mon-Fri 01:00-05:00\"],\"blocked\":[\"Sat,Sun 09:00-17:00\"],"
                    + "\"blockedDates\":[\"2026-12-24\"]}");
            plan = r.jsonPath().getString("id");
            return r;
        });
        c.put("GET /drill-plans 200", () -> key().get("/drill-plans?target=demo-cache"));
        c.put("GET /drill-plans 400", () -> key().get("/drill-plans?target=bad_name"));
        c.put("POST /drill-plan-cancel 400", () -> post("/drill-plan-cancel", "{}"));
        c.put("POST /drill-plan-cancel 404", () -> post("/drill-plan-cancel", "{\"id\":\"no-such-plan\"}"));
        c.put("POST /drill-plan-cancel 200", () -> post("/drill-plan-cancel", "{\"id\":\"" + plan + "\"}"));
        c.put("POST /drill-plan-cancel 409", () -> post("/drill-plan-cancel", "{\"id\":\"" + plan + "\"}"));

        c.put("POST /budget/reset 400", () -> post("/budget/reset", "{}"));
        c.put("POST /budget/reset 200", () -> post("/budget/reset", "{\"reason\":\"openapi: checked by hand\"}"));
        c.put("POST /budget/reset 404", () -> post("/budget/reset", "{\"reason\":\"openapi\",\"group\":\"no-such-group\"}"));
    }

    private String scheduleBody(String target, String requestId) {
        return "{\"target\":\"" + target + "\",\"at\":\"" + later + "\",\"reason\":\"openapi\""
                + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + "}";
    }

    private static String cancelBody(String id) {
        return "{\"id\":\"" + id + "\",\"reason\":\"openapi\"}";
    }

    /**
     * A valid body per function with a body; the checks below replace one field by a number. Where the function
     * would act on a valid body, its target does not exist: every field is read before the target is looked up.
     */
    private Map<String, String> validBodies() {
        Map<String, String> bodies = new LinkedHashMap<>();
        TARGET.forEach((f, t) -> bodies.put(f, "{\"target\":\"" + t + "\"}"));
        bodies.put("/schedule", scheduleBody("no-such-target", null));
        bodies.put("/schedule-cancel", cancelBody("no-such-schedule"));
        bodies.put("/drill", "{\"target\":\"no-such-target\"}");
        bodies.put("/drill-plan", "{\"target\":\"no-such-target\",\"cron\":\"0 3 1 1 *\"}");
        bodies.put("/drill-plan-cancel", "{\"id\":\"no-such-plan\"}");
        bodies.put("/budget/reset", "{\"reason\":\"openapi\"}");
        return bodies;
    }

    private static String resolution(String actionId, String outcome) {
        return "{\"target\":\"demo-dw\",\"actionId\":\"" + actionId + "\",\"outcome\":\"" + outcome
                + "\",\"reason\":\"checked the console by hand\"}";
    }

    private Response unanswered(String resource, String function, String target, boolean statusBack) {
        sandbox.simulator().fault(resource, SandboxFault.STATUS_404, -1);
        sandbox.simulator().fault(resource, SandboxFault.SLOW, 1);
        Response r = post(function, "{\"target\":\"" + target + "\",\"force\":true}");
        if (statusBack) {
            sandbox.simulator().fault(resource, SandboxFault.STATUS_404, 0);
        }
        return r;
    }

    private Response faulted(String resource, SandboxFault fault, String function, String target) {
        sandbox.simulator().fault(resource, fault, 1);
        return post(function, "{\"target\":\"" + target + "\"}");
    }

    /** Waits until the dws target's latest action has settled and the DR runs again, for the next call. */
    private Response settled(Response r, CloudSimulator sim) {
        await().atMost(Duration.ofSeconds(30)).until(() -> key().get("/actions?target=demo-dw&limit=1").jsonPath()
                .getString("[0].finishedAt") != null && "running".equals(DwsSimulator.of(sim).status(DWS)));
        return r;
    }

    private static RequestSpecification key() {
        return OpenApiSpec.key();
    }

    private static Response post(String path, String body) {
        return OpenApiSpec.post(path, body);
    }
}
