package io.switchguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.switchguard.check.TargetMeters.Reading;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The per-target series as a scrape reads them: the names, labels and types the dashboard and the rules use
 * (infra/grafana), and no meter per target. As seven Micrometer meters a target they were some 25 MB of heap at
 * 10,000 targets (issue #13).
 */
class PerTargetSeriesTest {

    @Test
    void perTargetSeriesAreScrapedWithoutAMeterPerTarget() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<PerTargetSeries.Watched> watched = IntStream.range(0, 100)
                .mapToObj(i -> new PerTargetSeries.Watched("t-" + i, 1.0)).toList();
        Map<String, Reading> readings = Map.of(
                "t-7", new Reading(new long[] {41, 2, 0, 0}, 43, 0.5, 0.25, true, 1024L, 0),
                "t-8", new Reading(new long[] {1, 3, 0, 0}, 4, 2.0, 0.5, false, null, 1));
        PerTargetSeries.prometheus(prometheus).orElseThrow().getPrometheusRegistry().register(PerTargetSeries
                .collector(watched, name -> Optional.ofNullable(readings.get(name)), name -> Instant.ofEpochSecond(1700),
                name -> name.equals("t-8") ? Optional.of(false) : Optional.empty()));

        String scrape = prometheus.scrape();

        assertEquals(0, prometheus.getMeters().size(), "no meter per target");
        for (String line : List.of("# TYPE switchguard_probe_total counter",
                "switchguard_probe_total{result=\"up\",target=\"t-7\",} 41.0",
                "switchguard_probe_total{result=\"down\",target=\"t-7\",} 2.0",
                "# TYPE switchguard_probe_duration_seconds summary",
                "switchguard_probe_duration_seconds_count{target=\"t-7\",} 43.0",
                "switchguard_probe_duration_seconds_sum{target=\"t-7\",} 0.5",
                "switchguard_probe_duration_seconds_max{target=\"t-7\",} 0.25",
                "switchguard_target_healthy{target=\"t-7\",} 1.0",
                "switchguard_target_healthy{target=\"t-8\",} 0.0",
                "switchguard_replication_lag{target=\"t-7\",} 1024.0",
                "switchguard_breach_total{target=\"t-8\",} 1.0",
                "switchguard_check_last_timestamp_seconds{target=\"t-99\",} 1700.0",
                "switchguard_check_interval_seconds{target=\"t-0\",} 1.0",
                "switchguard_preflight_ready{target=\"t-8\",} 0.0")) {
            assertTrue(scrape.contains(line + "\n"), line + " in\n" + scrape);
        }
        assertFalse(scrape.contains("switchguard_probe_total{result=\"transitional\""), "no empty result series");
        assertFalse(scrape.contains("switchguard_target_healthy{target=\"t-9\""), "no probe series before a check");
        assertFalse(scrape.contains("switchguard_breach_total{target=\"t-7\""), "no breach series before a breach");
    }
}
