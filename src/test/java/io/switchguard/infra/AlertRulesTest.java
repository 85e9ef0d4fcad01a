package io.switchguard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * infra/grafana: the rules file is valid Prometheus rules with the six alerts the issue names, the PrometheusRule
 * carries the same groups, the dashboard is a Grafana dashboard with a query on every panel, and — with the Debian
 * package's promtool, when installed — the rules load and their unit tests (alerts-test.yaml) pass.
 */
class AlertRulesTest {

    static final Path GRAFANA = Path.of("infra", "grafana");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theRulesFileHasTheSixAlertsWithEverythingAnAlertNeeds() throws IOException {
        JsonNode groups = YAML.readTree(GRAFANA.resolve("alerts.yaml").toFile()).path("groups");
        assertTrue(groups.isArray() && !groups.isEmpty(), "groups");
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : groups) {
            assertFalse(group.path("name").asText().isEmpty(), "group name");
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                alerts.add(name);
                assertTrue(name.matches("[A-Za-z_][A-Za-z0-9_]*"), name);
                assertFalse(rule.path("expr").asText().isBlank(), name + ": expr");
                assertTrue(Set.of("critical", "warning").contains(rule.at("/labels/severity").asText()), name + ": severity");
                assertFalse(rule.at("/annotations/summary").asText().isBlank(), name + ": summary");
                assertFalse(rule.at("/annotations/description").asText().isBlank(), name + ": description");
                if (rule.has("for")) {
                    assertTrue(rule.path("for").asText().matches("\\d+[smh]"), name + ": for");
                }
            }
        }
        assertEquals(List.of("SwitchguardTargetUnhealthy", "SwitchguardBreachRefusedByGuard",
                "SwitchguardActionFailedOrUnknown", "SwitchguardNotificationDead", "SwitchguardNoLeaseHolder",
                "SwitchguardCheckerStale"), alerts);
    }

    @Test
    void thePrometheusRuleCarriesTheSameGroups() throws IOException {
        JsonNode manifest = YAML.readTree(GRAFANA.resolve("prometheusrule.yaml").toFile());
        assertEquals("monitoring.coreos.com/v1", manifest.path("apiVersion").asText());
        assertEquals("PrometheusRule", manifest.path("kind").asText());
        assertFalse(manifest.at("/metadata/name").asText().isEmpty());
        assertEquals(YAML.readTree(GRAFANA.resolve("alerts.yaml").toFile()).path("groups"),
                manifest.at("/spec/groups"));
    }

    @Test
    void theDashboardHasAQueryOnEveryPanelOverTheChosenDatasource() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(GRAFANA.resolve("switchguard-dashboard.json").toFile());
        assertEquals("switchguard", dashboard.path("uid").asText());
        assertEquals("datasource", dashboard.at("/templating/list/0/type").asText());
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique");
            titles.add(panel.path("title").asText());
            assertEquals("${datasource}", panel.at("/datasource/uid").asText(), panel.path("title").asText());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
            panel.path("targets").forEach(t -> assertTrue(t.path("expr").asText().contains("switchguard_"),
                    panel.path("title") + ": " + t));
        }
        assertTrue(titles.containsAll(Set.of("Target health", "Probes by result", "Breaches", "Actions by status",
                "Replication lag", "Notifications", "Leader")), titles.toString());
    }

    @Test
    void promtoolLoadsTheRulesAndTheirUnitTestsPass() throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            System.err.println("\n" + "#".repeat(78) + "\n#  SKIPPED: promtool checks of infra/grafana/alerts.yaml: no "
                    + PROMTOOL + "\n#  (apt-get install prometheus, as .ci/run does)\n" + "#".repeat(78) + "\n");
            Assumptions.assumeTrue(false, "no " + PROMTOOL);
        }
        assertEquals("", promtool("check", "rules", "alerts.yaml"));
        assertEquals("", promtool("test", "rules", "alerts-test.yaml"));
    }

    /** Runs promtool in infra/grafana; "" when it exits 0, else its output. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(GRAFANA.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        return p.exitValue() == 0 ? "" : out;
    }
}
