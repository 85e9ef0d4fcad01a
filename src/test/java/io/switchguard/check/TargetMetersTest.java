package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
}
