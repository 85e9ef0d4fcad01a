package io.switchguard.check;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchguard.policy.Observation;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the per-target series of /q/metrics show (README "Operations"): switchguard_probe_total{target,result},
 * switchguard_probe_duration_seconds{target}, switchguard_target_healthy{target}, switchguard_replication_lag{target},
 * switchguard_breach_total{target}. A target's figures are a few fields here, exported at scrape time by
 * metrics/PerTargetSeries: as Micrometer meters they were five meters a target, each with its id, tags, a
 * Prometheus child and a time-window max, some 25 MB of heap at 10,000 targets, and a lookup per check (issue #13).
 */
public final class TargetMeters {

    private static final ProbeResult.Health[] HEALTHS = ProbeResult.Health.values();
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final MeterRegistry registry;
    private final Map<String, Figures> byTarget = new ConcurrentHashMap<>();
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
        ProbeResult primary = obs.dataPlane() != null ? obs.dataPlane() : obs.cloud();
        Long bytes = obs.dataPlane() != null ? obs.dataPlane().lagBytes() : null;
        Duration seconds = obs.cloud() != null ? obs.cloud().lag() : null;
        Long lag = bytes != null ? bytes : seconds != null ? seconds.toSeconds() : null;
        byTarget.computeIfAbsent(target, t -> new Figures())
                .record(primary, next.healthy(), lag, next.breaches() > before.breaches(), System.nanoTime());
    }

    /** A target's figures now; empty before its first decided check (no series then, as before). */
    public Optional<Reading> reading(String target) {
        Figures f = byTarget.get(target);
        return f == null ? Optional.empty() : Optional.of(f.read(System.nanoTime()));
    }

    /**
     * A target's series: probes by result (indexed by {@link ProbeResult.Health#ordinal()}), probe latency (count,
     * sum, and the longest of the last one to two minutes, as Micrometer's time-window max), health, the last lag
     * (null until one was seen) and breaches.
     */
    public record Reading(long[] probes, long durationCount, double durationSeconds, double durationMaxSeconds,
            boolean healthy, Long lag, long breaches) {

        public long probes(ProbeResult.Health health) {
            return probes[health.ordinal()];
        }
    }

    /** One target's counters; written by the deciding thread, read by a scrape. */
    private static final class Figures {
        private final long[] probes = new long[HEALTHS.length];
        private long durationCount;
        private long durationNanos;
        private long minute;
        private long maxThisMinute;
        private long maxLastMinute;
        private boolean healthy;
        private Long lag;
        private long breaches;

        synchronized void record(ProbeResult primary, boolean healthy, Long lag, boolean breach, long now) {
            if (primary != null) {
                probes[primary.health().ordinal()]++;
                long nanos = primary.latency().toNanos();
                durationCount++;
                durationNanos += nanos;
                roll(now);
                maxThisMinute = Math.max(maxThisMinute, nanos);
            }
            this.healthy = healthy;
            if (lag != null) {
                this.lag = lag;
            }
            if (breach) {
                breaches++;
            }
        }

        synchronized Reading read(long now) {
            roll(now);
            return new Reading(probes.clone(), durationCount, durationNanos / 1e9,
                    Math.max(maxThisMinute, maxLastMinute) / 1e9, healthy, lag, breaches);
        }

        private void roll(long now) {
            long m = now / MINUTE;
            if (m != minute) {
                maxLastMinute = m == minute + 1 ? maxThisMinute : 0;
                maxThisMinute = 0;
                minute = m;
            }
        }
    }
}
