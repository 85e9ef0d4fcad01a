package io.switchguard.check;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.switchguard.config.Target;
import io.switchguard.policy.Observation;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The metrics of each counted probe, per target: its result and latency, health, replication lag, breaches. */
final class CheckMetrics {

    private final MeterRegistry metrics;
    private final Map<String, AtomicLong> healthy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();

    CheckMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void record(Target target, Observation obs, TargetState before, TargetState next) {
        ProbeResult primary = obs.dataPlane() != null ? obs.dataPlane() : obs.cloud();
        if (primary != null) {
            metrics.counter("switchguard_probe_total", "target", target.name(), "result",
                    primary.health().name().toLowerCase(Locale.ROOT)).increment();
            Timer.builder("switchguard_probe_duration_seconds").tag("target", target.name()).register(metrics)
                    .record(primary.latency());
        }
        gauge("switchguard_target_healthy", healthy, target.name()).set(next.healthy() ? 1 : 0);
        Long bytes = obs.dataPlane() != null ? obs.dataPlane().lagBytes() : null;
        Duration seconds = obs.cloud() != null ? obs.cloud().lag() : null;
        if (bytes != null || seconds != null) {
            gauge("switchguard_replication_lag", lag, target.name()).set(bytes != null ? bytes : seconds.toSeconds());
        }
        if (next.breaches() > before.breaches()) {
            metrics.counter("switchguard_breach_total", "target", target.name()).increment();
        }
    }

    private AtomicLong gauge(String name, Map<String, AtomicLong> holders, String target) {
        return holders.computeIfAbsent(target, k -> metrics.gauge(name,
                List.of(Tag.of("target", k)), new AtomicLong()));
    }
}
