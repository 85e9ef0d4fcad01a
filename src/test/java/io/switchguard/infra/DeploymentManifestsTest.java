package io.switchguard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * infra/k8s and infra/knative: every file parses, the Deployment is what the README promises, no literal secret is
 * committed, and every environment variable or YAML key they set is one switchguard (or its bootstrap) reads.
 */
class DeploymentManifestsTest {

    static final YAMLMapper YAML = new YAMLMapper();
    static final Path INFRA = Path.of("infra");

    static List<JsonNode> documents() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Path dir : List.of(INFRA.resolve("k8s"), INFRA.resolve("knative"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                        while (it.hasNext()) {
                            JsonNode doc = it.next();
                            if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                                docs.add(doc);
                            }
                        }
                    }
                }
            }
        }
        return docs;
    }

    static JsonNode kind(String kind, String apiVersionPrefix) throws IOException {
        return documents().stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("apiVersion").asText().startsWith(apiVersionPrefix)).findFirst().orElseThrow();
    }

    @Test
    void everyManifestParsesAndNamesItself() throws IOException {
        List<JsonNode> docs = documents();
        assertEquals(5, docs.size(), "ConfigMap, Secret, Deployment, Service, Knative Service");
        for (JsonNode d : docs) {
            assertFalse(d.path("apiVersion").asText().isEmpty(), d.toString());
            assertFalse(d.path("kind").asText().isEmpty(), d.toString());
            assertEquals("switchguard", d.path("metadata").path("name").asText());
        }
    }

    @Test
    void deploymentRunsTwoNonRootReplicasProbedOnHealth() throws IOException {
        JsonNode deployment = kind("Deployment", "apps/");
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertEquals(1003, pod.at("/securityContext/runAsUser").asInt());
        JsonNode c = pod.at("/containers/0");
        assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals(8000, c.at("/ports/0/containerPort").asInt());
        assertTrue(c.at("/resources/requests/memory").asText().endsWith("Mi"));
        assertEquals("false", env(c).get("SWITCHGUARD_FAAS_ENABLED"), "FaaS mode stays off outside FunctionGraph");

        JsonNode config = kind("ConfigMap", "v1");
        assertTrue(config.at("/data/SWITCHGUARD_STORE_URL").asText().startsWith("jdbc:postgresql://"),
                "replicas share the PostgreSQL store");
        JsonNode knative = kind("Service", "serving.knative.dev/");
        assertEquals("/q/health/ready", knative.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                .asText());
    }

    @Test
    void secretsAreReferencesOnly() throws IOException {
        JsonNode secret = kind("Secret", "v1");
        assertFalse(secret.has("data"), "no base64 literals");
        secret.path("stringData").fields().forEachRemaining(e -> assertTrue(
                e.getValue().asText().matches("<[a-z0-9-]+>"), e.getKey() + " must be a <placeholder>"));
        for (JsonNode d : documents()) {
            d.findValues("env").forEach(list -> list.forEach(v -> assertFalse(
                    v.path("name").asText().matches(".*(_SK|PASSWORD|API_KEYS)") && v.has("value"),
                    "secret " + v.path("name").asText() + " given inline")));
        }
    }

    @Test
    void everyVariableSetIsOneSwitchguardReads() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode d : documents()) {
            String kind = d.path("kind").asText();
            if (kind.equals("ConfigMap")) {
                d.path("data").fieldNames().forEachRemaining(n -> {
                    if (!n.endsWith(".yaml")) {
                        names.add(n);
                    }
                });
            } else if (kind.equals("Secret")) {
                d.path("stringData").fieldNames().forEachRemaining(names::add);
            }
            d.findValues("env").forEach(list -> list.forEach(v -> names.add(v.path("name").asText())));
        }
        names.addAll(terraformVariables());
        names.addAll(dockerfileVariables());
        assertTrue(names.size() > 10, names.toString());
        for (String n : names) {
            assertTrue(ConfigKeys.isVariable(n), n + " maps to no switchguard.* key (nor a bootstrap variable)");
        }
    }

    @Test
    void theTargetsFileUsesRealKeys() throws IOException {
        JsonNode config = kind("ConfigMap", "v1");
        assertEquals("/config/targets.yaml", config.at("/data/QUARKUS_CONFIG_LOCATIONS").asText());
        JsonNode targets = YAML.readTree(config.at("/data/targets.yaml").asText());
        List<String> keys = new ArrayList<>();
        leaves("", targets, keys);
        assertFalse(keys.isEmpty());
        for (String k : keys) {
            assertTrue(ConfigKeys.isProperty(k), k + " is not a switchguard property");
        }
    }

    @Test
    void theKeyCheckItselfRejectsAnUnknownKey() {
        assertTrue(ConfigKeys.isVariable("SWITCHGUARD_STORE_URL"));
        assertTrue(ConfigKeys.isVariable("SWITCHGUARD_TARGETS_CACHE_INSTANCE_ID"));
        assertFalse(ConfigKeys.isVariable("SWITCHGUARD_STORE_URI"));
        assertFalse(ConfigKeys.isVariable("SWITCHGUARD_FAAS_ENABLE"));
        assertTrue(ConfigKeys.isProperty("switchguard.targets.orders-cache.probe.max-lag"));
        assertFalse(ConfigKeys.isProperty("switchguard.targets.orders-cache.instance"));
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new java.util.HashMap<>();
        container.path("env").forEach(v -> out.put(v.path("name").asText(), v.path("value").asText(null)));
        return out;
    }

    static void leaves(String prefix, JsonNode node, List<String> out) {
        if (!node.isObject()) {
            out.add(prefix);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }

    /** The SWITCHGUARD_* names the Terraform sets (its targets map is expanded to SWITCHGUARD_TARGETS_*_*). */
    static List<String> terraformVariables() throws IOException {
        String main = Files.readString(INFRA.resolve("functiongraph/main.tf"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("^\\s*((?:SWITCHGUARD|QUARKUS)_[A-Z0-9_]+)\\s*=", Pattern.MULTILINE).matcher(main);
        while (m.find()) {
            out.add(m.group(1));
        }
        assertTrue(out.contains("SWITCHGUARD_API_KEYS"), out.toString());
        return out;
    }

    static List<String> dockerfileVariables() throws IOException {
        String text = Files.readString(INFRA.resolve("container/Dockerfile"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("((?:SWITCHGUARD|QUARKUS)_[A-Z0-9_]+)=").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
