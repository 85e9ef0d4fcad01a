package io.switchguard.function;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.funqy.Funq;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
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

    static final String KEY = "Bearer test-key-one-4c1a";
    static final Path SPEC = Path.of("src/main/resources/META-INF/resources/openapi.yaml");
    static final String DCS = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final String DCS_V1 = "7f1c2a90-4b6e-4d0a-9c55-3e8b1d2f6a41";
    static final String DRS = "8c81a12f-2581-4424-a3ab-70ed874jb201";
    static final String DWS = "e59d6b86-9072-46eb-a996-13f8b44994c1";
    /** A valid target per function, for calls that must get past the target check. */
    static final Map<String, String> TARGET = Map.of("/swap", "demo-cache", "/switch-vip", "demo-db",
            "/failover", "demo-dw", "/switchover", "demo-dw", "/pause", "demo-cache-v1", "/resume", "demo-cache-v1");

    @Inject
    SandboxLauncher sandbox;

    JsonNode spec;
    /** The action /resolve ends. */
    String open;
    final Set<String> seen = new TreeSet<>();

    @Test
    void theDescriptionMatchesTheEndpoints() throws IOException {
        spec = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SPEC));
        given().get("/openapi.yaml").then().statusCode(401);
        assertEquals(Files.readString(SPEC), key().get("/openapi.yaml").then().statusCode(200).extract().asString(),
                "served as kept in the repo");

        Set<String> functions = new TreeSet<>();
        for (Class<?> c : List.of(ActionsFunction.class, CheckFunctions.class, SwitchoverFunctions.class)) {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Funq.class)) {
                    functions.add("/" + m.getAnnotation(Funq.class).value());
                }
            }
        }
        Set<String> paths = new TreeSet<>();
        spec.path("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue(paths.containsAll(functions), "every function is described: " + functions + " in " + paths);

        Map<String, Supplier<Response>> cases = cases();
        Set<String> documented = new TreeSet<>();
        spec.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op ->
                op.getValue().path("responses").fieldNames().forEachRemaining(code ->
                        documented.add(op.getKey().toUpperCase() + " " + p.getKey() + " " + code))));
        assertEquals(documented, new TreeSet<>(cases.keySet()), "each documented answer has a call that gives it");

        List<String> problems = new ArrayList<>();
        for (var c : cases.entrySet()) {
            String[] parts = c.getKey().split(" ");
            Response r = c.getValue().get();
            if (r.statusCode() != Integer.parseInt(parts[2])) {
                problems.add(c.getKey() + ": answered " + r.statusCode() + " " + r.asString());
                continue;
            }
            JsonNode response = resolve(spec.at("/paths/" + parts[1].replace("/", "~1") + "/" + parts[0].toLowerCase()
                    + "/responses/" + parts[2]));
            JsonNode content = response.path("content");
            if (content.has("application/json")) {
                assertTrue(r.contentType().startsWith("application/json"), c.getKey() + ": " + r.contentType());
                validate(content.at("/application~1json/schema"), new ObjectMapper().readTree(r.asString()),
                        c.getKey(), problems);
            } else {
                List<String> types = new ArrayList<>();
                content.fieldNames().forEachRemaining(types::add);
                assertTrue(types.stream().anyMatch(r.contentType()::startsWith), c.getKey() + ": " + r.contentType());
            }
        }
        problems.addAll(requestFieldsAreRead());
        assertEquals(List.of(), problems);

        Set<String> unseen = new TreeSet<>();
        spec.at("/components/schemas").fields().forEachRemaining(s -> s.getValue().path("properties").fieldNames()
                .forEachRemaining(p -> unseen.add(s.getKey() + "." + p)));
        unseen.removeAll(seen);
        // A dead notification needs a sink that gives up, and some probes never measure every field.
        // ... and the demo targets are not in approval mode (ApprovalModeTest checks those answers).
        unseen.removeIf(p -> p.startsWith("OutboxEntry.") || p.startsWith("SwitchoverRequest.")
                || p.startsWith("Approval."));
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

    /** Each property of a request body or query is read: a value of the wrong type is a 400 that names it. */
    private List<String> requestFieldsAreRead() {
        List<String> problems = new ArrayList<>();
        for (String f : TARGET.keySet()) {
            JsonNode schema = resolve(spec.at("/paths/" + f.substring(1) + "/post/requestBody"))
                    .at("/content/application~1json/schema");
            for (String field : properties(schema)) {
                ObjectNode body = new ObjectMapper().createObjectNode().put("target", TARGET.get(f)).put(field, 12345);
                Response r = post(f, body.toString());
                String msg = r.jsonPath().getString("error_msg");
                if (r.statusCode() != 400 || msg == null || !msg.startsWith(field + ":")) {
                    problems.add(f + " field " + field + " is not read: " + r.statusCode() + " " + r.asString());
                }
            }
        }
        for (String q : List.of("/status?target=bad_name", "/actions?target=bad_name", "/actions?limit=x")) {
            String field = q.substring(q.indexOf('?') + 1, q.indexOf('='));
            Response r = key().get(q);
            if (r.statusCode() != 400 || !r.jsonPath().getString("error_msg").startsWith(field + ":")) {
                problems.add(q + ": " + r.statusCode() + " " + r.asString());
            }
        }
        return problems;
    }

    private Set<String> properties(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        schema = resolve(schema);
        schema.path("properties").fieldNames().forEachRemaining(out::add);
        schema.path("allOf").forEach(s -> out.addAll(properties(s)));
        return out;
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
        return given().header("Authorization", KEY);
    }

    private static Response post(String path, String body) {
        return key().contentType(ContentType.JSON).body(body).post(path);
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = spec.at(node.path("$ref").asText().substring(1));
        }
        return node;
    }

    /** The subset of OpenAPI 3.0 schemas the description uses: $ref, allOf, oneOf, nullable, types, enum. */
    private boolean validate(JsonNode schema, JsonNode value, String where, List<String> problems) {
        String name = schema.has("$ref") ? schema.path("$ref").asText().replaceAll(".*/", "") : null;
        schema = resolve(schema);
        if (value.isNull()) {
            return check(schema.path("nullable").asBoolean(false), where + ": null", problems);
        }
        if (schema.has("oneOf")) {
            for (JsonNode alternative : schema.path("oneOf")) {
                if (validate(alternative, value, where, new ArrayList<>())) {
                    return validate(alternative, value, where, problems);
                }
            }
            return check(false, where + ": matches no alternative: " + value, problems);
        }
        boolean ok = true;
        for (JsonNode part : schema.path("allOf")) {
            ok &= validate(part, value, where, problems);
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                ok &= check(value.isObject(), where + ": not an object", problems);
                for (JsonNode required : schema.path("required")) {
                    ok &= check(value.has(required.asText()), where + ": missing " + required.asText(), problems);
                }
                Set<String> declared = new TreeSet<>(properties(schema));
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    var field = it.next();
                    JsonNode declaredSchema = propertySchema(schema, field.getKey());
                    if (declaredSchema != null) {
                        if (name != null) {
                            seen.add(name + "." + field.getKey());
                        }
                        ok &= validate(declaredSchema, field.getValue(), where + "." + field.getKey(), problems);
                    } else if (schema.path("additionalProperties").isObject()) {
                        ok &= validate(schema.path("additionalProperties"), field.getValue(),
                                where + "." + field.getKey(), problems);
                    } else if (schema.path("additionalProperties").asBoolean(true) == false) {
                        ok &= check(false, where + ": undocumented field " + field.getKey() + " (documented: "
                                + declared + ")", problems);
                    }
                }
            }
            case "array" -> {
                ok &= check(value.isArray(), where + ": not an array", problems);
                int i = 0;
                for (JsonNode item : value) {
                    ok &= validate(schema.path("items"), item, where + "[" + i++ + "]", problems);
                }
            }
            case "string" -> ok &= check(value.isTextual(), where + ": not a string: " + value, problems);
            case "integer" -> ok &= check(value.isIntegralNumber(), where + ": not an integer: " + value, problems);
            case "number" -> ok &= check(value.isNumber(), where + ": not a number: " + value, problems);
            case "boolean" -> ok &= check(value.isBoolean(), where + ": not a boolean: " + value, problems);
            default -> { }
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.path("enum")) {
                listed |= e.equals(value);
            }
            ok &= check(listed, where + ": " + value + " not in " + schema.path("enum"), problems);
        }
        return ok;
    }

    /** A property's schema, looking through allOf: the documented type of one field. */
    private JsonNode propertySchema(JsonNode schema, String field) {
        schema = resolve(schema);
        if (schema.path("properties").has(field)) {
            return schema.path("properties").path(field);
        }
        for (JsonNode part : schema.path("allOf")) {
            JsonNode found = propertySchema(part, field);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static boolean check(boolean ok, String problem, List<String> problems) {
        if (!ok) {
            problems.add(problem);
        }
        return ok;
    }
}
