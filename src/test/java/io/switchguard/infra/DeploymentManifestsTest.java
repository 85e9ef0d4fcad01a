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
 * The apply path ({@code kubectl apply -f infra/k8s/}, which does not descend into examples/) holds no placeholder
 * Secret; the Knative Service passes Knative's admission (issue 17.7, 17.8).
 */
class DeploymentManifestsTest {

    static final YAMLMapper YAML = new YAMLMapper();
    static final Path INFRA = Path.of("infra");

    /** What `kubectl apply -f infra/k8s/ -f infra/knative/` applies: the top level of each, not examples/. */
    static List<JsonNode> documents() throws IOException {
        return documents(List.of(INFRA.resolve("k8s"), INFRA.resolve("knative")));
    }

    static List<JsonNode> documents(List<Path> dirs) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Path dir : dirs) {
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
        assertEquals(6, docs.size(), "ConfigMap, Deployment, Service, PodDisruptionBudget, NetworkPolicy, Knative Service");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode d : docs) {
            assertFalse(d.path("apiVersion").asText().isEmpty(), d.toString());
            assertFalse(d.path("kind").asText().isEmpty(), d.toString());
            assertTrue(d.path("metadata").path("name").asText().startsWith("switchguard"));
            // Two Services (core and Knative) in one namespace must not share a name.
            String kindName = d.path("kind").asText() + "/" + d.path("metadata").path("name").asText();
            assertTrue(names.add(kindName), "two " + kindName);
        }
    }

    /** Issue 17.8: applying the directory must never create a Secret whose placeholders become a public key. */
    @Test
    void theApplyPathHoldsNoPlaceholderSecret() throws IOException {
        for (JsonNode d : documents()) {
            assertFalse(d.path("kind").asText().equals("Secret"), "a Secret in the apply path: " + d.path("metadata"));
            assertFalse(d.toString().matches("(?s).*\"<[a-z0-9-]+>\".*"), "a <placeholder> value in " + d.path("kind"));
        }
    }

    /** Issue 17.7: Knative rejects a pod-level securityContext (unless a cluster flag is on) and fields outside its mask. */
    @Test
    void knativeServicePassesKnativeAdmission() throws IOException {
        JsonNode knative = kind("Service", "serving.knative.dev/");
        JsonNode pod = knative.at("/spec/template/spec");
        assertFalse(pod.has("securityContext"), "pod-level securityContext needs kubernetes.podspec-securitycontext");
        JsonNode c = pod.at("/containers/0");
        java.util.Set<String> allowed = java.util.Set.of("runAsUser", "readOnlyRootFilesystem", "capabilities");
        c.path("securityContext").fieldNames().forEachRemaining(f -> assertTrue(allowed.contains(f),
                "container securityContext." + f + " is outside Knative's default field mask"));
        assertEquals(1003, c.at("/securityContext/runAsUser").asInt());
        assertFalse(c.at("/securityContext/capabilities").has("add"), "capabilities.add needs a cluster flag");
        assertEquals("ALL", c.at("/securityContext/capabilities/drop/0").asText());
        assertEquals("cluster-local", knative.at("/metadata/labels").path("networking.knative.dev/visibility").asText());
        assertFalse(knative.at("/metadata/name").asText().equals("switchguard"), "collides with infra/k8s's Service");
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
    }

    /** Issue 17.8: what keeps two replicas serving through drains, node loss and restarts. */
    @Test
    void deploymentSurvivesDisruptionAndIsHardened() throws IOException {
        JsonNode deployment = kind("Deployment", "apps/");
        JsonNode labels = deployment.at("/spec/selector/matchLabels");
        JsonNode pdb = documents().stream().filter(d -> d.path("kind").asText().equals("PodDisruptionBudget"))
                .findFirst().orElseThrow(() -> new AssertionError("no PodDisruptionBudget"));
        assertEquals(labels, pdb.at("/spec/selector/matchLabels"), "the PDB selects the Deployment's pods");
        assertEquals(1, pdb.at("/spec/minAvailable").asInt());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.path("topologySpreadConstraints").size() > 0 || pod.at("/affinity/podAntiAffinity").isObject(),
                "replicas must be spread over nodes");
        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "no service account token");
        // Longer than a synchronous switchover: read-timeout (10s) + verify-timeout (30s, the default).
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() > 40, "grace period shorter than a switchover");
        JsonNode c = pod.at("/containers/0");
        assertEquals(c.at("/resources/requests/memory").asText(), c.at("/resources/limits/memory").asText(),
                "memory request = limit");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertTrue(c.path(probe).path("timeoutSeconds").asInt() > 0, probe + " has no timeoutSeconds");
        }
        JsonNode policy = documents().stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy"))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy"));
        assertEquals(labels, policy.at("/spec/podSelector/matchLabels"));
        for (JsonNode d : documents()) {
            d.findValues("env").forEach(list -> list.forEach(v -> assertFalse(
                    v.path("name").asText().startsWith("SWITCHGUARD_FAAS_"), "FaaS settings belong to FunctionGraph")));
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

        JsonNode config = kind("ConfigMap", "v1");
        assertTrue(config.at("/data/SWITCHGUARD_STORE_URL").asText().startsWith("jdbc:postgresql://"),
                "replicas share the PostgreSQL store");
        JsonNode knative = kind("Service", "serving.knative.dev/");
        assertEquals("/q/health/ready", knative.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                .asText());
    }

    @Test
    void secretsAreReferencesOnly() throws IOException {
        JsonNode secret = documents(List.of(INFRA.resolve("k8s/examples"))).stream()
                .filter(d -> d.path("kind").asText().equals("Secret")).findFirst().orElseThrow();
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
        List<JsonNode> all = new ArrayList<>(documents());
        all.addAll(documents(List.of(INFRA.resolve("k8s/examples"))));
        for (JsonNode d : all) {
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
