package io.switchguard.function;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.funqy.Funq;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * openapi.yaml and what the contract tests hold real answers to: the documented answers ("VERB /path status"),
 * each answer's body against its schema (exactly the documented fields, with their types), each request field
 * being read, and which documented fields some answer had.
 */
final class OpenApiSpec {

    static final String KEY = "Bearer test-key-one-4c1a";
    static final Path SPEC = Path.of("src/main/resources/META-INF/resources/openapi.yaml");

    final JsonNode spec;
    /** "Schema.field" of every documented field some answer had. */
    final Set<String> seen = new TreeSet<>();

    private OpenApiSpec(JsonNode spec) {
        this.spec = spec;
    }

    static OpenApiSpec load() {
        try {
            return new OpenApiSpec(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SPEC)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "/name" of every @Funq method of the classes. */
    static Set<String> functions(List<Class<?>> classes) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c : classes) {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Funq.class)) {
                    out.add("/" + m.getAnnotation(Funq.class).value());
                }
            }
        }
        return out;
    }

    Set<String> paths() {
        Set<String> paths = new TreeSet<>();
        spec.path("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    /** "VERB /path status" of every documented answer on the paths chosen. */
    Set<String> documented(Predicate<String> path) {
        Set<String> documented = new TreeSet<>();
        spec.path("paths").fields().forEachRemaining(p -> {
            if (path.test(p.getKey())) {
                p.getValue().fields().forEachRemaining(op -> op.getValue().path("responses").fieldNames()
                        .forEachRemaining(code -> documented.add(op.getKey().toUpperCase() + " " + p.getKey() + " "
                                + code)));
            }
        });
        return documented;
    }

    /** Runs the calls in order; each must answer its status with a body its documented schema allows. */
    List<String> check(Map<String, Supplier<Response>> cases) {
        List<String> problems = new ArrayList<>();
        for (var c : cases.entrySet()) {
            String[] parts = c.getKey().split(" ");
            Response r = c.getValue().get();
            if (r.statusCode() != Integer.parseInt(parts[2])) {
                problems.add(c.getKey() + ": answered " + r.statusCode() + " " + r.asString());
                continue;
            }
            JsonNode response = resolve(spec.at("/paths/" + parts[1].replace("/", "~1") + "/"
                    + parts[0].toLowerCase() + "/responses/" + parts[2]));
            JsonNode content = response.path("content");
            if (content.has("application/json")) {
                assertTrue(r.contentType().startsWith("application/json"), c.getKey() + ": " + r.contentType());
                try {
                    validate(content.at("/application~1json/schema"), new ObjectMapper().readTree(r.asString()),
                            c.getKey(), problems);
                } catch (IOException e) {
                    problems.add(c.getKey() + ": not JSON: " + r.asString());
                }
            } else {
                List<String> types = new ArrayList<>();
                content.fieldNames().forEachRemaining(types::add);
                assertTrue(types.stream().anyMatch(r.contentType()::startsWith), c.getKey() + ": " + r.contentType());
            }
        }
        return problems;
    }

    /**
     * Each property of a request body (a valid body per path) or query is read: a value of the wrong type is a 400
     * whose error_msg starts with its name.
     */
    List<String> requestFieldsAreRead(Map<String, String> bodies, List<String> queries) {
        List<String> problems = new ArrayList<>();
        for (var f : bodies.entrySet()) {
            JsonNode schema = resolve(spec.at("/paths/" + f.getKey().replace("/", "~1") + "/post/requestBody"))
                    .at("/content/application~1json/schema");
            Set<String> fields = properties(schema);
            if (fields.isEmpty()) {
                problems.add(f.getKey() + ": no request fields described");
            }
            for (String field : fields) {
                ObjectNode body;
                try {
                    body = ((ObjectNode) new ObjectMapper().readTree(f.getValue())).put(field, 12345);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Response r = post(f.getKey(), body.toString());
                String msg = r.jsonPath().getString("error_msg");
                if (r.statusCode() != 400 || msg == null || !msg.startsWith(field + ":")) {
                    problems.add(f.getKey() + " field " + field + " is not read: " + r.statusCode() + " "
                            + r.asString());
                }
            }
        }
        for (String q : queries) {
            String field = q.substring(q.indexOf('?') + 1, q.indexOf('='));
            Response r = key().get(q);
            if (r.statusCode() != 400 || !r.jsonPath().getString("error_msg").startsWith(field + ":")) {
                problems.add(q + ": " + r.statusCode() + " " + r.asString());
            }
        }
        return problems;
    }

    /** "Schema.field" of every documented field of a component schema that no answer had so far. */
    Set<String> unseen() {
        Set<String> unseen = new TreeSet<>();
        spec.at("/components/schemas").fields().forEachRemaining(s -> s.getValue().path("properties").fieldNames()
                .forEachRemaining(p -> unseen.add(s.getKey() + "." + p)));
        unseen.removeAll(seen);
        return unseen;
    }

    static RequestSpecification key() {
        return given().header("Authorization", KEY);
    }

    static Response post(String path, String body) {
        return key().contentType(ContentType.JSON).body(body).post(path);
    }

    private Set<String> properties(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        schema = resolve(schema);
        schema.path("properties").fieldNames().forEachRemaining(out::add);
        schema.path("allOf").forEach(s -> out.addAll(properties(s)));
        return out;
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
