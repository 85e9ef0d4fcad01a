package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.switchguard.policy.Observation;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-target series the README names, kept per target: many checks, the same few meters. */
class TargetMetersTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TargetMeters meters = new TargetMeters(registry);

    @Test
    void checksCountIntoOneSetOfMetersPerTarget() {
        TargetState healthy = TargetState.initial();
        TargetState breached = healthy.withHealthy(false, 1);
        Observation up = new Observation(Instant.EPOCH, ProbeResult.up("ok", Duration.ofMillis(3)), null, null);
        Observation down = new Observation(Instant.EPOCH, ProbeResult.down("refused", Duration.ofMillis(1)), null, null);
        for (int i = 0; i < 100; i++) {
            meters.record("a", up, healthy, healthy);
            meters.record("b", up, healthy, healthy);
        }
        int settled = registry.getMeters().size();
        meters.record("a", down, healthy, breached);
        for (int i = 0; i < 100; i++) {
            meters.record("a", up, breached, breached);
        }

        assertEquals(settled + 2, registry.getMeters().size(), "a down counter and a breach counter, once");
        assertEquals(200, registry.get("switchguard_probe_total").tags("target", "a", "result", "up").counter().count());
        assertEquals(1, registry.get("switchguard_probe_total").tags("target", "a", "result", "down").counter().count());
        assertEquals(1, registry.get("switchguard_breach_total").tags("target", "a").counter().count());
        assertEquals(201, registry.get("switchguard_probe_duration_seconds").tags("target", "a").timer().count());
        assertEquals(0, registry.get("switchguard_target_healthy").tags("target", "a").gauge().value());
        assertEquals(1, registry.get("switchguard_target_healthy").tags("target", "b").gauge().value());
    }

    /**
     * As in the app: the injected registry is Quarkus' composite over the Prometheus registry that /q/metrics
     * scrapes. A meter registered on the composite is two meters, each with its own id, tags and the composite's
     * map of members: at 10,000 targets tens of MB of heap that no scrape reads (issue #13). The checker is made
     * before Quarkus adds Prometheus to the composite.
     */
    @Test
    void perTargetMetersLiveOnlyInTheRegistryThatExportsThem() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry composite = new CompositeMeterRegistry(Clock.SYSTEM);
        TargetMeters inApp = new TargetMeters(composite);
        composite.add(prometheus);
        Observation up = new Observation(Instant.EPOCH, ProbeResult.up("ok", Duration.ofMillis(3)), null, null);
        for (int i = 0; i < 100; i++) {
            inApp.record("t-" + i, up, TargetState.initial(), TargetState.initial());
        }

        assertEquals(0, composite.getMeters().size(), "no per-target meter in the composite");
        assertEquals(300, prometheus.getMeters().size(), "per target: probe_total{up}, probe_duration, target_healthy");
        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("switchguard_probe_total{result=\"up\",target=\"t-7\",} 1.0"), scrape);
        assertTrue(scrape.contains("switchguard_target_healthy{target=\"t-7\",} 1.0"), scrape);
        assertTrue(scrape.contains("switchguard_probe_duration_seconds_count{target=\"t-7\",} 1.0"), scrape);
    }
}
