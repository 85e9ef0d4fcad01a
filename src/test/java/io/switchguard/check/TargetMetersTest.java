package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchguard.policy.Observation;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The figures behind the per-target series the README names (exported by metrics/PerTargetSeries). */
class TargetMetersTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TargetMeters meters = new TargetMeters(registry);

    @Test
    void checksCountIntoTheirTargetsFigures() {
        TargetState healthy = TargetState.initial();
        TargetState breached = healthy.withHealthy(false, 1);
        Observation up = new Observation(Instant.EPOCH, ProbeResult.up("ok", Duration.ofMillis(3)), null, null);
        Observation down = new Observation(Instant.EPOCH, ProbeResult.down("refused", Duration.ofMillis(7)), null, null);
        for (int i = 0; i < 100; i++) {
            meters.record("a", up, healthy, healthy);
            meters.record("b", up, healthy, healthy);
        }
        meters.record("a", down, healthy, breached);
        for (int i = 0; i < 100; i++) {
            meters.record("a", up, breached, breached);
        }

        TargetMeters.Reading a = meters.reading("a").orElseThrow();
        assertEquals(200, a.probes(ProbeResult.Health.UP));
        assertEquals(1, a.probes(ProbeResult.Health.DOWN));
        assertEquals(1, a.breaches());
        assertEquals(201, a.durationCount());
        assertEquals(0.607, a.durationSeconds(), 1e-9);
        assertEquals(0.007, a.durationMaxSeconds(), 1e-9);
        assertEquals(false, a.healthy());
        assertNull(a.lag(), "no lag seen");
        assertTrue(meters.reading("b").orElseThrow().healthy());
        assertTrue(meters.reading("never-checked").isEmpty());
        assertEquals(0, registry.getMeters().size(), "no meter per target");
    }
}
