package io.switchguard.function;

import static io.restassured.RestAssured.given;
import static io.switchguard.function.OpenApiSpec.key;
import static io.switchguard.function.OpenApiSpec.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.ui.ApprovalTargets;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /approve and /deny in openapi.yaml against the running service, as OpenApiContractTest holds the other paths: the
 * answers need targets in approval mode with a request waiting, which the demo targets are not. Every documented
 * status is produced by a real call on a target whose breach the sandbox made and the checker asked about; the
 * 202, 502 and 504 are an approved switchover that the simulated cloud submits, refuses or answers too late to.
 */
@QuarkusTest
@TestProfile(ApprovalTargets.class)
class OpenApiApprovalContractTest {

    static final Set<String> PATHS = Set.of("/approve", "/deny");
    /** The targets whose breach asks for approval here, and the resource each one's fault is set on. */
    static final Map<String, String> ASKING = Map.of("appr-ok", "inst-appr-ok", "appr-no", "inst-appr-no",
            "appr-gone", "inst-appr-gone", "appr-fail", "inst-appr-fail", "appr-slow", "inst-appr-slow",
            "appr-dw", "dr-appr-dw");

    @Inject
    SandboxLauncher sandbox;

    /** The request /deny ended, answered again. */
    String denied;

    @Test
    void approveAndDenyMatchTheDescription() {
        OpenApiSpec spec = OpenApiSpec.load();
        Set<String> functions = OpenApiSpec.functions(List.of(ApprovalFunctions.class));
        assertEquals(PATHS, functions);
        assertTrue(spec.paths().containsAll(functions), "every function is described: " + spec.paths());

        CloudSimulator sim = sandbox.simulator();
        ASKING.values().forEach(resource -> sim.dataPlaneFault(resource, DataPlaneFault.DOWN));
        // The first cycle only warms the checker up (self-distrust); a later one asks for each approval.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(1100)).until(() -> {
            post("/check", "{}").then().statusCode(200);
            return pending().containsAll(ASKING.keySet());
        });
        List<String> problems = new ArrayList<>();
        // /status with requests waiting: the Approval fields as /status lists them (how to answer one included).
        problems.addAll(spec.check(Map.of("GET /status 200", () -> key().get("/status"))));

        Map<String, Supplier<Response>> cases = cases(sim);
        assertEquals(spec.documented(PATHS::contains), new TreeSet<>(cases.keySet()),
                "each documented answer has a call that gives it");
        problems.addAll(spec.check(cases));
        // The other way to a 409: a target that is not in approval mode has no request to show.
        problems.addAll(spec.check(Map.of("POST /approve 409", () -> post("/approve", answer("alert-only")))));
        // A group's budget reset, as /status shows it afterwards.
        post("/budget/reset", "{\"group\":\"" + ApprovalTargets.GROUP + "\",\"reason\":\"openapi\"}").then()
                .statusCode(200);
        problems.addAll(spec.check(Map.of("GET /status 200", () -> {
            Response r = key().get("/status");
            assertEquals("openapi", r.jsonPath().getString("budget.groups[0].lastReset.reason"), r.asString());
            return r;
        })));
        problems.addAll(spec.requestFieldsAreRead(Map.of("/approve", answer("no-such-target"),
                "/deny", answer("no-such-target")), List.of()));
        assertEquals(List.of(), problems);
        assertEquals(1, swaps("inst-appr-ok"), "an approval sends one swap");
        assertEquals(0, swaps("inst-appr-gone"), "a refused approval sends nothing");
        assertEquals(0, swaps("inst-appr-no"), "a denial sends nothing");

        Set<String> unseen = spec.unseen();
        unseen.removeIf(p -> !p.startsWith("Approval."));
        assertEquals(Set.of(), unseen, "documented Approval fields no answer had");
    }

    /** "VERB /path status" -> the call that answers it, run in this order. */
    private Map<String, Supplier<Response>> cases(CloudSimulator sim) {
        Map<String, Supplier<Response>> c = new LinkedHashMap<>();
        for (String f : PATHS) {
            c.put("POST " + f + " 401", () -> given().contentType(ContentType.JSON).body(answer("appr-ok")).post(f));
            c.put("POST " + f + " 400", () -> post(f, "{\"target\":12345,\"reason\":\"openapi\"}"));
        }
        c.put("POST /approve 404", () -> post("/approve", answer("no-such-target")));
        c.put("POST /deny 404", () -> post("/deny", "{\"target\":\"appr-ok\",\"approvalId\":\"no-such-approval\","
                + "\"reason\":\"openapi\"}"));
        c.put("POST /approve 200", () -> post("/approve", answer("appr-ok")));
        c.put("POST /deny 200", () -> {
            Response r = post("/deny", answer("appr-no"));
            denied = r.jsonPath().getString("approvalId");
            return r;
        });
        // Answered already: the request ended DENIED.
        c.put("POST /deny 409", () -> post("/deny", "{\"target\":\"appr-no\",\"approvalId\":\"" + denied
                + "\",\"reason\":\"openapi\"}"));
        // The breach no longer holds when the approval comes: REFUSED, nothing is sent.
        c.put("POST /approve 409", () -> {
            sim.clearDataPlaneFault("inst-appr-gone");
            Response r = post("/approve", answer("appr-gone"));
            assertEquals("REFUSED", r.jsonPath().getString("status"), r.asString());
            return r;
        });
        // A DWS failover is SUBMITTED: it settles in the background.
        c.put("POST /approve 202", () -> post("/approve", answer("appr-dw")));
        c.put("POST /approve 502", () -> {
            sim.fault("inst-appr-fail", SandboxFault.DCS_5094, 1);
            return post("/approve", answer("appr-fail"));
        });
        c.put("POST /approve 504", () -> unanswered(sim, "appr-slow", "inst-appr-slow"));
        return c;
    }

    /**
     * The approved swap reaches the cloud, which answers after the read timeout; the status API goes away while the
     * call is out (not before: the approval looks at the cloud's status again first), so the outcome stays UNKNOWN.
     */
    private Response unanswered(CloudSimulator sim, String target, String resource) {
        sim.fault(resource, SandboxFault.SLOW, 1);
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> post("/approve", answer(target)));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> swaps(resource) > 0);
        sim.fault(resource, SandboxFault.STATUS_404, -1);
        try {
            return answer.join();
        } finally {
            sim.fault(resource, SandboxFault.STATUS_404, 0);
        }
    }

    private long swaps(String resource) {
        return sandbox.simulator().count("POST", ".*" + Pattern.quote("/instances/" + resource + "/swap"));
    }

    private static Set<String> pending() {
        return new TreeSet<>(key().get("/status").jsonPath().getList("approvals.target", String.class));
    }

    private static String answer(String target) {
        return "{\"target\":\"" + target + "\",\"reason\":\"openapi\"}";
    }
}
