package io.switchguard.check;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.switchguard.policy.Observation;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-target series of /q/metrics (README "Operations"): switchguard_probe_total{target,result},
 * switchguard_probe_duration_seconds{target}, switchguard_target_healthy{target}, switchguard_replication_lag{target},
 * switchguard_breach_total{target}. Each target's meters are looked up once and kept: finding a meter by name and tags
 * builds an id and its tags, which at 10,000 targets a second was garbage made on every check (issue #13).
 */
final class TargetMeters {

    private final MeterRegistry registry;
    private final Map<String, Meters> byTarget = new ConcurrentHashMap<>();
    private final Map<String, Counter> notCounted = new ConcurrentHashMap<>();

    TargetMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * A probe that ran and was not counted (switchguard_check_not_counted_total{reason}, fleet-wide): "interval", less
     * than three quarters of an interval after the last counted one; "acting", during the target's own switchover.
     * It is not in switchguard_probe_total, so without this a shortfall there could not be told from a missed tick.
     */
    void notCounted(String reason) {
        notCounted.computeIfAbsent(reason, r -> registry.counter("switchguard_check_not_counted", "reason", r))
                .increment();
    }

    /** One decided check of a target: its probe's result and latency, its health, lag and a new breach. */
    void record(String target, Observation obs, TargetState before, TargetState next) {
        Meters m = byTarget.computeIfAbsent(target, Meters::new);
        ProbeResult primary = obs.dataPlane() != null ? obs.dataPlane() : obs.cloud();
        if (primary != null) {
            m.result(primary.health()).increment();
            m.duration.record(primary.latency());
        }
        m.healthy.set(next.healthy() ? 1 : 0);
        Long bytes = obs.dataPlane() != null ? obs.dataPlane().lagBytes() : null;
        Duration seconds = obs.cloud() != null ? obs.cloud().lag() : null;
        if (bytes != null || seconds != null) {
            m.lag().set(bytes != null ? bytes : seconds.toSeconds());
        }
        if (next.breaches() > before.breaches()) {
            m.breaches().increment();
        }
    }

    /** A target's meters; result counters, lag and breaches only once they have something to show, as before. */
    private final class Meters {
        final MeterRegistry registry;
        final Tags tags;
        final Map<ProbeResult.Health, Counter> results = new EnumMap<>(ProbeResult.Health.class);
        final Timer duration;
        final AtomicLong healthy;
        volatile AtomicLong lag;
        volatile Counter breaches;

        Meters(String target) {
            // Looked up at the target's first check: the checker is made before Quarkus adds Prometheus to the
            // composite.
            this.registry = PerTargetRegistry.of(TargetMeters.this.registry);
            this.tags = Tags.of("target", target);
            this.duration = Timer.builder("switchguard_probe_duration_seconds").tags(tags).register(registry);
            this.healthy = registry.gauge("switchguard_target_healthy", tags, new AtomicLong());
        }

        synchronized Counter result(ProbeResult.Health health) {
            return results.computeIfAbsent(health, h -> registry.counter("switchguard_probe_total",
                    tags.and("result", h.name().toLowerCase(Locale.ROOT))));
        }

        synchronized AtomicLong lag() {
            if (lag == null) {
                lag = registry.gauge("switchguard_replication_lag", tags, new AtomicLong());
            }
            return lag;
        }

        synchronized Counter breaches() {
            if (breaches == null) {
                breaches = registry.counter("switchguard_breach_total", tags);
            }
            return breaches;
        }
    }
}
