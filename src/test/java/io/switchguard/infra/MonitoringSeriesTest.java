package io.switchguard.infra;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.switchguard.TestPorts;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every series that infra/grafana's dashboard and alert rules name is in /q/metrics after a sandbox run: checks on
 * their schedule, an automatic swap, a refused and a failed switchover, a webhook sink that cannot be reached.
 */
@QuarkusTest
@TestProfile(MonitoringSeriesTest.SandboxRun.class)
class MonitoringSeriesTest {

    static final String KEY = "Bearer test-key-one-4c1a";
    static final Path GRAFANA = Path.of("infra", "grafana");
    static final Pattern SERIES = Pattern.compile("\\bswitchguard_[a-z0-9_]+");
    static final String DEMO_CACHE_ID = "5560df16-cebf-4473-95c4-d1b573c16e79";

    /** The demo targets on their schedule, and a webhook sink on a port nothing listens on. */
    public static class SandboxRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchguard.check.scheduler", "true",
                    "switchguard.notify.webhook", "http://127.0.0.1:" + TestPorts.free() + "/hook",
                    "switchguard.notify.webhook-secret", "monitoring-test-secret-1f3b",
                    "switchguard.store.url", "jdbc:h2:mem:monitoring;DB_CLOSE_DELAY=-1");
        }
    }

    @Inject
    SandboxLauncher sandbox;
    @Inject
    MeterRegistry registry;

    /**
     * Each watched target's series in the scrape, and no Micrometer meter per target in any registry: as meters
     * (twice, while Quarkus' composite held its own copy) they were tens of MB of heap at 10,000 targets (issue #13).
     */
    @Test
    void perTargetSeriesAreScrapedWithoutAMeterPerTarget() {
        PrometheusMeterRegistry scraped = (PrometheusMeterRegistry) ((io.micrometer.core.instrument.composite
                .CompositeMeterRegistry) registry).getRegistries().iterator().next();
        List<String> names = List.of("switchguard_check_interval_seconds", "switchguard_check_last_timestamp_seconds",
                "switchguard_target_healthy", "switchguard_probe_total", "switchguard_probe_duration_seconds_count");
        await().atMost(Duration.ofSeconds(20)).until(() -> names.stream().allMatch(n -> demoTargets(n).size() == 4));
        for (MeterRegistry r : List.of(registry, scraped)) {
            assertEquals(List.of(), r.getMeters().stream().filter(m -> m.getId().getTag("target") != null)
                    .map(m -> m.getId().getName()).distinct().toList(), "per-target meters in " + r);
        }
    }

    private Set<String> demoTargets(String series) {
        Matcher m = Pattern.compile("(?m)^" + series + "\\{[^}]*target=\"([^\"]+)\"").matcher(
                given().header("Authorization", KEY).get("/q/metrics").then().statusCode(200).extract().asString());
        Set<String> found = new TreeSet<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void everySeriesTheDashboardAndTheRulesNameIsExported() throws IOException {
        fault("demo-cache", "down");
        await().atMost(Duration.ofSeconds(40)).until(() -> given().header("Authorization", KEY)
                .get("/actions?target=demo-cache&limit=5").then().extract().jsonPath()
                .getList("findAll { it.trigger == 'auto' && it.status == 'SUCCEEDED' }").size() == 1);
        fault("demo-cache", "none");
        fault("demo-cache-v1", "lag");
        swap("{\"target\":\"demo-cache-v1\"}", 409);
        fault("demo-cache-v1", "none");
        sandbox.simulator().fault(DEMO_CACHE_ID, SandboxFault.DCS_5094, 1);
        swap("{\"target\":\"demo-cache\",\"force\":true}", 502);

        String metrics = given().header("Authorization", KEY).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        Set<String> exported = metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));

        Set<String> named = new TreeSet<>();
        named.addAll(names(dashboardExpressions()));
        named.addAll(names(ruleExpressions(GRAFANA.resolve("alerts.yaml"), "/groups")));
        assertTrue(named.size() >= 12, "the dashboard and rules name the switchguard series: " + named);
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "named by infra/grafana but not in /q/metrics; exported: "
                + exported.stream().filter(n -> n.startsWith("switchguard_")).toList());

        // The label values the rules select on are the ones the service writes.
        assertTrue(metrics.contains("status=\"REJECTED\""), "a refusal is counted as REJECTED");
        assertTrue(metrics.contains("status=\"FAILED\""), "a failure is counted as FAILED");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("switchguard_leader{") && l.endsWith(" 1.0")),
                "this instance holds the lease");
        assertFalse(metrics.lines().anyMatch(l -> l.startsWith("switchguard_check_last_timestamp_seconds{")
                && l.contains("demo-cache\"") && l.endsWith(" 0.0")), "the last check time is set");
    }

    static String dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(GRAFANA.resolve("switchguard-dashboard.json").toFile());
        StringBuilder out = new StringBuilder();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> out.append(t.path("expr").asText()).append('\n')));
        return out.toString();
    }

    static String ruleExpressions(Path file, String groupsAt) throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        StringBuilder out = new StringBuilder();
        doc.at(groupsAt).forEach(g -> g.path("rules").forEach(r -> out.append(r.path("expr").asText()).append('\n')));
        return out.toString();
    }

    static Set<String> names(String expressions) {
        Set<String> out = new TreeSet<>();
        Matcher m = SERIES.matcher(expressions);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void fault(String target, String kind) {
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"" + target + "\",\"kind\":\"" + kind + "\"}").post("/sandbox/faults")
                .then().statusCode(200);
    }

    private static void swap(String body, int status) {
        given().header("Authorization", KEY).contentType(ContentType.JSON).body(body).post("/swap").then()
                .statusCode(status);
    }
}
