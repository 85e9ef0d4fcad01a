package io.switchguard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.SummaryMetricFamily;
import io.switchguard.check.Checker;
import io.switchguard.check.TargetMeters.Reading;
import io.switchguard.config.Targets;
import io.switchguard.preflight.Preflight;
import io.switchguard.preflight.Readiness;
import io.switchguard.probe.ProbeResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The per-target series of /q/metrics, written at scrape time from what the checker already holds: each probe's
 * result and latency, health, lag and breaches (check/TargetMeters), whether its last preflight passed, and when
 * each watched target was last checked and how often it should be, so an alert can tell a stuck checker
 * (infra/grafana/alerts.yaml, SwitchguardCheckerStale) the way /q/health/live does. Before the first check the
 * last-checked time is the start, as for liveness: a checker that never runs goes stale too.
 *
 * <p>One Prometheus collector rather than seven Micrometer meters a target: the names, labels and types are the
 * ones those meters exported, and a scrape builds the samples it sends either way, but the meters' ids, tags and
 * children were some 25 MB of heap at 10,000 targets (issue #13). A binder, which Quarkus binds once its registries
 * are in the composite: in the packaged app the start-up event comes before that.
 */
@ApplicationScoped
public class PerTargetSeries implements MeterBinder {

    /** A watched target as its series need it. */
    public record Watched(String name, double intervalSeconds) {}

    private final Checker checker;
    private final Preflight preflight;
    private final Targets targets;
    private final Clock clock;

    public PerTargetSeries(Checker checker, Preflight preflight, Targets targets, Clock clock) {
        this.checker = checker;
        this.preflight = preflight;
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Instant started = clock.instant();
        List<Watched> watched = targets.all().stream().filter(t -> t.probe() != null)
                .map(t -> new Watched(t.name(), t.probe().interval().toMillis() / 1000.0)).toList();
        prometheus(registry).ifPresent(p -> p.getPrometheusRegistry().register(
                collector(watched, checker::reading, name -> checker.lastChecked(name, started),
                        name -> preflight.latest(name).map(Readiness::ready))));
    }

    /** The registry /q/metrics scrapes: Quarkus' composite's Prometheus member. */
    static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return Optional.of(p);
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            return composite.getRegistries().stream().flatMap(r -> prometheus(r).stream()).findFirst();
        }
        return Optional.empty();
    }

    private static final List<String> TARGET = List.of("target");

    private static GaugeMetricFamily gauge(String name, String help) {
        return new GaugeMetricFamily(name, help, TARGET);
    }

    /** The collector of the watched targets' series; a target's probe series appear with its first decided check. */
    public static Collector collector(List<Watched> watched, Function<String, Optional<Reading>> readings,
            Function<String, Instant> lastChecked, Function<String, Optional<Boolean>> ready) {
        return new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                CounterMetricFamily probes = new CounterMetricFamily("switchguard_probe_total",
                        "Probes of the target by result", List.of("result", "target"));
                SummaryMetricFamily duration = new SummaryMetricFamily("switchguard_probe_duration_seconds",
                        "Probe latency", TARGET);
                GaugeMetricFamily durationMax = gauge("switchguard_probe_duration_seconds_max",
                        "The longest probe of the last one to two minutes");
                GaugeMetricFamily healthy = gauge("switchguard_target_healthy", "1 while the target is healthy");
                GaugeMetricFamily lag = gauge("switchguard_replication_lag",
                        "The last replication lag seen (redis: bytes; drs, dws: seconds)");
                CounterMetricFamily breaches = new CounterMetricFamily("switchguard_breach_total",
                        "Breaches of the target's thresholds", TARGET);
                GaugeMetricFamily last = gauge("switchguard_check_last_timestamp_seconds",
                        "When the target was last checked (epoch seconds)");
                GaugeMetricFamily interval = gauge("switchguard_check_interval_seconds",
                        "The target's configured probe interval");
                GaugeMetricFamily preflightReady = gauge("switchguard_preflight_ready",
                        "1 while the target's last preflight passed");
                for (Watched w : watched) {
                    List<String> name = List.of(w.name());
                    last.addMetric(name, lastChecked.apply(w.name()).toEpochMilli() / 1000.0);
                    interval.addMetric(name, w.intervalSeconds());
                    ready.apply(w.name()).ifPresent(r -> preflightReady.addMetric(name, r ? 1 : 0));
                    Optional<Reading> reading = readings.apply(w.name());
                    if (reading.isEmpty()) {
                        continue;
                    }
                    Reading r = reading.get();
                    for (ProbeResult.Health h : ProbeResult.Health.values()) {
                        if (r.probes(h) > 0) {
                            probes.addMetric(List.of(h.name().toLowerCase(Locale.ROOT), w.name()), r.probes(h));
                        }
                    }
                    duration.addMetric(name, r.durationCount(), r.durationSeconds());
                    durationMax.addMetric(name, r.durationMaxSeconds());
                    healthy.addMetric(name, r.healthy() ? 1 : 0);
                    if (r.lag() != null) {
                        lag.addMetric(name, r.lag());
                    }
                    if (r.breaches() > 0) {
                        breaches.addMetric(name, r.breaches());
                    }
                }
                return List.of(probes, duration, durationMax, healthy, lag, breaches, last, interval, preflightReady);
            }
        };
    }
}
