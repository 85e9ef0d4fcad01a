package io.switchguard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every argument infra/functiongraph sets, checked against the documentation recorded below (issue 17.4, 17.10):
 * required fields present, enumerated values among the documented ones (a variable counts by its default and by
 * the values its validation allows). `terraform validate` would catch part of this, but it needs the provider,
 * which cannot be downloaded here, and it does not look inside event_data, a JSON string.
 *
 * <p>Sources: terraform-provider-huaweicloud docs/resources/fgs_function.md, fgs_function_trigger.md,
 * identity_role.md, identity_agency.md; the FunctionGraph API's TriggerEventDataRequestBody and
 * ApigTriggerFuncInfo (huaweicloud-sdk-go-v3 services/functiongraph/v2/model), whose comments mark the APIG
 * trigger's required parameters ("APIG触发器此参数必填").
 */
class TerraformArgumentsTest {

    // ---------------------------------------------------------------- recorded documentation

    static final Set<String> FUNCTION_REQUIRED = Set.of("name", "memory_size", "runtime", "timeout", "app",
            "code_type", "handler");
    static final Set<String> FUNCTION_ARGUMENTS = Set.of("region", "name", "memory_size", "runtime", "timeout",
            "app", "code_type", "handler", "description", "functiongraph_version", "func_code", "code_url",
            "code_filename", "depend_list", "user_data", "encrypted_user_data", "agency", "app_agency",
            "initializer_handler", "initializer_timeout", "enterprise_project_id", "vpc_id", "network_id",
            "dns_list", "mount_user_id", "mount_user_group_id", "func_mounts", "custom_image", "max_instance_num",
            "versions", "tags", "log_group_id", "log_group_name", "log_stream_id", "log_stream_name",
            "reserved_instances", "concurrency_num", "gpu_type", "gpu_memory", "enable_auth_in_header",
            "lifecycle");
    static final Set<String> RUNTIMES = Set.of("Java8", "Java11", "Node.js6.10", "Node.js8.10", "Node.js10.16",
            "Node.js12.13", "Node.js14.18", "Python2.7", "Python3.6", "Python3.9", "Go1.8", "Go1.x",
            "C#(.NET Core 2.0)", "C#(.NET Core 2.1)", "C#(.NET Core 3.1)", "PHP7.3", "Custom", "http", "Custom Image");
    static final Set<String> CODE_TYPES = Set.of("inline", "zip", "jar", "obs", "Custom-Image-Swr");
    static final Set<String> FUNCTIONGRAPH_VERSIONS = Set.of("v1", "v2");
    static final int TIMEOUT_MIN = 3;
    static final int TIMEOUT_MAX = 900;

    static final Set<String> TRIGGER_REQUIRED = Set.of("function_urn", "type", "event_data");
    static final Set<String> TRIGGER_ARGUMENTS = Set.of("region", "function_urn", "type", "event_data", "status",
            "lifecycle");
    static final Set<String> TRIGGER_TYPES = Set.of("TIMER", "APIG", "CTS", "DDS", "DMS", "DIS", "LTS", "OBS",
            "SMN", "KAFKA", "RABBITMQ", "DEDICATEDGATEWAY", "OPENSOURCEKAFKA", "APIC", "EVENTGRID", "IOTDA");
    static final Set<String> TRIGGER_STATUSES = Set.of("ACTIVE", "DISABLED");

    static final Set<String> TIMER_REQUIRED = Set.of("name", "schedule_type", "schedule");
    static final Set<String> SCHEDULE_TYPES = Set.of("Rate", "Cron");

    /** APIG and dedicated-gateway triggers; instance_id is required for the dedicated gateway. */
    static final Set<String> GATEWAY_REQUIRED = Set.of("name", "type", "path", "protocol", "req_method", "group_id",
            "match_mode", "env_name", "env_id", "auth", "func_info", "instance_id");
    static final Map<String, Set<String>> GATEWAY_ENUMS = Map.of(
            "protocol", Set.of("HTTP", "HTTPS"),
            "req_method", Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"),
            "match_mode", Set.of("SWA", "NORMAL"),
            "auth", Set.of("IAM", "APP", "NONE"),
            "backend_type", Set.of("FUNCTION"),
            "type", Set.of("1", "2"));
    static final Set<String> FUNC_INFO_REQUIRED = Set.of("timeout");
    /** API Gateway's default maximum backend timeout (60000 ms) for a synchronous call. */
    static final int GATEWAY_SYNC_LIMIT_SECONDS = 60;
    static final Set<String> INVOCATION_TYPES = Set.of("sync", "async");

    static final Set<String> ROLE_REQUIRED = Set.of("name", "description", "type", "policy");
    static final Set<String> ROLE_TYPES = Set.of("AX", "XA");
    static final Set<String> AGENCY_ARGUMENTS = Set.of("name", "description", "delegated_domain_name",
            "delegated_service_name", "duration", "project_role", "domain_roles");

    // ---------------------------------------------------------------- the checks

    @Test
    void functionsUseDocumentedArgumentsAndValues() throws IOException {
        for (String name : List.of("http", "check")) {
            Node f = resource("huaweicloud_fgs_function", name);
            required(f, FUNCTION_REQUIRED, "fgs_function." + name);
            known(f, FUNCTION_ARGUMENTS, "fgs_function." + name);
            enumerated(f, "runtime", RUNTIMES);
            enumerated(f, "code_type", CODE_TYPES);
            enumerated(f, "functiongraph_version", FUNCTIONGRAPH_VERSIONS);
            for (String t : values(f.raw("timeout"))) {
                int seconds = Integer.parseInt(t);
                assertTrue(seconds >= TIMEOUT_MIN && seconds <= TIMEOUT_MAX, name + " timeout " + seconds);
            }
            String codeType = values(f.raw("code_type")).get(0);
            if (codeType.equals("obs")) {
                assertNotNull(f.raw("code_url"), name + ": code_url is required with code_type obs");
            }
            if (codeType.equals("Custom-Image-Swr")) {
                assertTrue(f.children.get("custom_image") instanceof Node, name + ": custom_image required");
                assertEquals("-", values(f.raw("handler")).get(0), name + ": an image function's handler is -");
            }
            if (f.raw("network_id") != null) {
                assertNotNull(f.raw("agency"), name + ": network_id needs an agency with VPC permissions");
            }
        }
        Node http = resource("huaweicloud_fgs_function", "http");
        assertEquals("true", http.raw("enable_auth_in_header"), "HTTP functions get agency keys only with Include Keys");
    }

    @Test
    void triggersUseDocumentedEventData() throws IOException {
        for (String name : List.of("timer", "api")) {
            Node t = resource("huaweicloud_fgs_function_trigger", name);
            required(t, TRIGGER_REQUIRED, "trigger." + name);
            known(t, TRIGGER_ARGUMENTS, "trigger." + name);
            enumerated(t, "type", TRIGGER_TYPES);
            enumerated(t, "status", TRIGGER_STATUSES);
        }
        Node timer = resource("huaweicloud_fgs_function_trigger", "timer").child("event_data");
        required(timer, TIMER_REQUIRED, "timer.event_data");
        enumerated(timer, "schedule_type", SCHEDULE_TYPES);

        Node api = resource("huaweicloud_fgs_function_trigger", "api").child("event_data");
        required(api, GATEWAY_REQUIRED, "api.event_data");
        GATEWAY_ENUMS.forEach((key, allowed) -> {
            if (api.raw(key) != null) {
                enumerated(api, key, allowed);
            }
        });
        assertFalse(api.children.containsKey("timeout"), "timeout belongs in func_info, not in event_data");
        Node funcInfo = api.child("func_info");
        required(funcInfo, FUNC_INFO_REQUIRED, "api.event_data.func_info");
        enumerated(funcInfo, "invocation_type", INVOCATION_TYPES);
        // The backend waits as long as the function may run, so a synchronous /swap's verification fits.
        assertEquals("var.http_timeout_seconds * 1000", funcInfo.raw("timeout"));
        assertEquals("var.http_timeout_seconds", resource("huaweicloud_fgs_function", "http").raw("timeout"));
        // ... and the function never runs longer than the gateway waits for a synchronous answer.
        String variables = Files.readString(TerraformFilesTest.DIR.resolve("variables.tf"));
        assertTrue(variables.contains("var.http_timeout_seconds <= " + GATEWAY_SYNC_LIMIT_SECONDS), variables);
        assertTrue(Integer.parseInt(values("var.http_timeout_seconds").get(0)) <= GATEWAY_SYNC_LIMIT_SECONDS);
    }

    @Test
    void theAppRoleIsCustomAndHoldsOnlyWhatSwitchguardCalls() throws IOException {
        Node role = resource("huaweicloud_identity_role", "app");
        required(role, ROLE_REQUIRED, "identity_role.app");
        enumerated(role, "type", ROLE_TYPES);
        assertEquals("\"XA\"", role.raw("type"), "project-level role");
        String main = Files.readString(TerraformFilesTest.DIR.resolve("main.tf"));
        List<String> actions = new ArrayList<>();
        Matcher m = Pattern.compile("\"([a-z]+:[A-Za-z]+:[A-Za-z]+)\",?\\s*#").matcher(main);
        while (m.find()) {
            actions.add(m.group(1));
        }
        assertTrue(actions.containsAll(List.of("dcs:instance:swap", "dcs:instance:get", "smn:topic:publish",
                "dws:cluster:switchFailoverDisaster")), actions.toString());
        for (String a : actions) {
            assertFalse(a.contains("*") || a.matches(".*:(create|delete|update)\\w*"), "too broad: " + a);
        }
        assertFalse(main.contains("FullAccess"), "no FullAccess role: they create and delete resources");

        for (String name : List.of("app", "platform")) {
            Node agency = resource("huaweicloud_identity_agency", name);
            required(agency, Set.of("name"), "identity_agency." + name);
            known(agency, AGENCY_ARGUMENTS, "identity_agency." + name);
            assertEquals("\"op_svc_cff\"", agency.raw("delegated_service_name"));
            required(agency.child("project_role"), Set.of("project", "roles"), name + ".project_role");
        }
        for (String name : List.of("http", "check")) {
            Node f = resource("huaweicloud_fgs_function", name);
            assertEquals("huaweicloud_identity_agency.platform.name", f.raw("agency"), name);
            assertEquals("huaweicloud_identity_agency.app.name", f.raw("app_agency"), name);
        }
    }

    @Test
    void eventModeOnlyOnTheTimerFunction() throws IOException {
        String main = Files.readString(TerraformFilesTest.DIR.resolve("main.tf"));
        assertTrue(main.contains("check_environment = merge(local.environment, { SWITCHGUARD_FAAS_EVENT_MODE = \"true\" })"));
        assertTrue(main.contains("http_environment  = merge(local.environment, { SWITCHGUARD_FAAS_EVENT_MODE = \"false\" })"));
        assertEquals("jsonencode(local.check_environment)", resource("huaweicloud_fgs_function", "check").raw("user_data"));
        assertEquals("jsonencode(local.http_environment)", resource("huaweicloud_fgs_function", "http").raw("user_data"));
    }

    @Test
    void aPostgresStoreRequiresTheVpcAndTheProviderIsPinned() throws IOException {
        for (String name : List.of("http", "check")) {
            String pre = resource("huaweicloud_fgs_function", name).child("lifecycle").child("precondition")
                    .raw("condition");
            assertEquals("local.vpc_given", pre, name);
        }
        String versions = Files.readString(TerraformFilesTest.DIR.resolve("versions.tf"));
        assertTrue(versions.contains("version = \"~> 1.97\""), "provider pinned to ~> 1.97");
    }

    /**
     * The README's `terraform apply` example, its targets as main.tf turns them into the functions' environment:
     * each target has the region the app requires (ConfigValidator), the deployment's unless the target names its
     * own. main.tf's own expression is evaluated by terraform console, where terraform is installed (not in CI).
     */
    @Test
    void theReadmesTargetsReachTheFunctionsWithARegion() throws Exception {
        String readme = Files.readString(java.nio.file.Path.of("README.md"));
        Matcher example = Pattern.compile("-var 'targets=(.+)'").matcher(readme);
        assertTrue(example.find(), "the README's terraform example names targets");
        Matcher region = Pattern.compile("-var region=(\\S+)").matcher(readme);
        assertTrue(region.find(), "the README's terraform example names the region");

        Map<String, Object> env = targetEnvironment(example.group(1), region.group(1));
        assertEquals(region.group(1), env.get("SWITCHGUARD_TARGETS_ORDERSCACHE_REGION"), env.toString());
        assertEquals("dcs", env.get("SWITCHGUARD_TARGETS_ORDERSCACHE_KIND"), env.toString());

        Map<String, Object> own = targetEnvironment("{ dr = { kind = \"dws\", region = \"eu-de\" } }", "eu-west-101");
        assertEquals("eu-de", own.get("SWITCHGUARD_TARGETS_DR_REGION"), "a target's own region wins: " + own);
    }

    /**
     * main.tf's local.target_environment for these targets and region, evaluated by terraform itself from main.tf's
     * own target_* locals.
     */
    static Map<String, Object> targetEnvironment(String targets, String region) throws Exception {
        List<String> main = Arrays.asList(Files.readString(TerraformFilesTest.DIR.resolve("main.tf")).split("\n"));
        List<String> locals = new ArrayList<>();
        for (int i = 0; i < main.size(); i++) {
            if (main.get(i).matches("  target_\\w+\\s*=.*")) {
                StringBuilder local = new StringBuilder(stripComment(main.get(i)));
                while (depth(local) > 0) {
                    local.append('\n').append(stripComment(main.get(++i)));
                }
                locals.add(local.toString());
            }
        }
        assertTrue(locals.stream().anyMatch(l -> l.startsWith("  target_environment ")), "main.tf: " + locals);
        java.nio.file.Path dir = Files.createTempDirectory("tf-targets");
        Files.writeString(dir.resolve("main.tf"), """
                variable "targets" {
                  type = map(map(string))
                }
                variable "region" {
                  type = string
                }
                locals {
                %s
                }
                """.formatted(String.join("\n", locals)));
        ProcessBuilder pb = new ProcessBuilder("terraform", "console", "-var", "targets=" + targets,
                "-var", "region=" + region).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CHECKPOINT_DISABLE", "1"); // no version check over the network
        Process p;
        try {
            p = pb.start();
        } catch (IOException notInstalled) {
            org.junit.jupiter.api.Assumptions.abort("terraform not installed");
            return Map.of();
        }
        try (var in = p.getOutputStream()) {
            in.write("jsonencode(local.target_environment)\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "terraform console did not exit");
        assertEquals(0, p.exitValue(), "terraform console: " + out);
        // The console prints the JSON as an HCL string literal.
        String json = out.substring(1, out.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        return new io.vertx.core.json.JsonObject(json).getMap();
    }

    /** The checks above must be able to fail. */
    @Test
    void theChecksRejectWhatTheIssueFound() {
        Node bad = parse(List.of(
                "  event_data = jsonencode({",
                "    match_mode = \"PREFIX\"",
                "    timeout    = 60000",
                "  })"), "t");
        Node event = bad.child("event_data");
        assertThrows(AssertionError.class, () -> enumerated(event, "match_mode", GATEWAY_ENUMS.get("match_mode")));
        assertThrows(AssertionError.class, () -> required(event, Set.of("env_id"), "t"));
    }

    // ---------------------------------------------------------------- a small reader for our own .tf style

    /** A block or object: attribute name -> raw text of its value, or a nested Node. */
    record Node(Map<String, Object> children) {
        String raw(String key) {
            return children.get(key) instanceof String s ? s : null;
        }

        Node child(String key) {
            assertTrue(children.get(key) instanceof Node, "no block " + key + " in " + children.keySet());
            return (Node) children.get(key);
        }
    }

    static Node resource(String type, String name) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String f : List.of("main.tf")) {
            lines.addAll(Arrays.asList(Files.readString(TerraformFilesTest.DIR.resolve(f)).split("\n", -1)));
        }
        String head = "resource \"" + type + "\" \"" + name + "\" {";
        int start = lines.indexOf(head);
        assertTrue(start >= 0, "no " + head);
        return parse(lines.subList(start + 1, lines.size()), type + "." + name);
    }

    static Node parse(List<String> lines, String where) {
        int[] pos = {0};
        return body(lines, pos, where);
    }

    private static final Pattern NESTED = Pattern.compile("^(\\w+)\\s*(=\\s*(jsonencode\\()?)?\\{$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^(\\w+)\\s*=\\s*(.+)$");

    private static Node body(List<String> lines, int[] pos, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        while (pos[0] < lines.size()) {
            String line = stripComment(lines.get(pos[0]++)).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("}") || line.equals("})")) {
                return new Node(out);
            }
            Matcher nested = NESTED.matcher(line);
            if (nested.matches()) {
                out.putIfAbsent(nested.group(1), body(lines, pos, where + "." + nested.group(1)));
                continue;
            }
            Matcher a = ATTRIBUTE.matcher(line);
            if (a.matches()) {
                StringBuilder value = new StringBuilder(a.group(2).trim());
                while (depth(value) > 0 && pos[0] < lines.size()) {
                    value.append('\n').append(stripComment(lines.get(pos[0]++)).trim());
                }
                out.put(a.group(1), value.toString());
            }
        }
        return new Node(out);
    }

    private static int depth(CharSequence s) {
        int d = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                d++;
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                d--;
            }
        }
        return d;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    // ---------------------------------------------------------------- assertions

    static void required(Node n, Set<String> keys, String where) {
        for (String k : keys) {
            assertTrue(n.children.containsKey(k), where + ": required argument " + k + " missing");
        }
    }

    static void known(Node n, Set<String> documented, String where) {
        for (String k : n.children.keySet()) {
            assertTrue(documented.contains(k), where + ": " + k + " is not a documented argument");
        }
    }

    static void enumerated(Node n, String key, Set<String> allowed) {
        String raw = n.raw(key);
        assertNotNull(raw, key + " not set");
        for (String v : values(raw)) {
            assertTrue(allowed.contains(v), key + " = " + v + " is not one of " + allowed);
        }
    }

    /**
     * The values an attribute can take: a literal's own, or for var.x its default and every value its validation
     * allows (contains([...], var.x)).
     */
    static List<String> values(String raw) {
        if (raw.startsWith("\"") && raw.endsWith("\"") && !raw.contains("${")) {
            return List.of(raw.substring(1, raw.length() - 1));
        }
        if (raw.matches("-?\\d+|true|false")) {
            return List.of(raw);
        }
        Matcher var = Pattern.compile("var\\.(\\w+)").matcher(raw);
        assertTrue(var.matches(), "not a literal nor a variable: " + raw);
        String text;
        try {
            text = Files.readString(TerraformFilesTest.DIR.resolve("variables.tf"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String name = var.group(1);
        int at = text.indexOf("variable \"" + name + "\" {");
        assertTrue(at >= 0, "no variable " + name);
        int end = text.indexOf("\nvariable ", at + 1);
        String block = text.substring(at, end < 0 ? text.length() : end);
        List<String> out = new ArrayList<>();
        Matcher d = Pattern.compile("\\n\\s*default\\s*=\\s*\"?([^\"\\n]*)\"?").matcher(block);
        if (d.find()) {
            out.add(d.group(1).trim());
        }
        Matcher c = Pattern.compile("contains\\(\\[([^\\]]*)],\\s*var\\." + name + "\\)").matcher(block);
        if (c.find()) {
            for (String v : c.group(1).split(",")) {
                out.add(v.trim().replace("\"", ""));
            }
        } else {
            assertFalse(out.isEmpty(), "var." + name + " has neither a default nor a validation list");
        }
        return out;
    }
}
