package io.switchguard.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchguard.check.Checker;
import io.switchguard.check.PerTargetRegistry;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * When each watched target was last checked, and how often it should be, so an alert can tell a stuck checker
 * (infra/grafana/alerts.yaml, SwitchguardCheckerStale) the way /q/health/live does. Before the first check the
 * last-checked time is the start, as for liveness: a checker that never runs goes stale too.
 *
 * <p>A binder, which Quarkus binds once its registries are in the composite: in the packaged app the start-up event
 * comes before that, and the gauges then fell back to the composite, each held twice (issue #13).
 */
@ApplicationScoped
public class CheckerGauges implements MeterBinder {

    private final Checker checker;
    private final Targets targets;
    private final Clock clock;

    public CheckerGauges(Checker checker, Targets targets, Clock clock) {
        this.checker = checker;
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry composite) {
        Instant started = clock.instant();
        MeterRegistry registry = PerTargetRegistry.of(composite);
        for (Target t : targets.all()) {
            if (t.probe() == null) {
                continue;
            }
            String name = t.name();
            Gauge.builder("switchguard_check_last_timestamp_seconds", checker,
                    c -> c.lastChecked(name, started).toEpochMilli() / 1000.0)
                    .description("When the target was last checked (epoch seconds)").tag("target", name)
                    .register(registry);
            Gauge.builder("switchguard_check_interval_seconds", () -> t.probe().interval().toMillis() / 1000.0)
                    .description("The target's configured probe interval").tag("target", name).register(registry);
        }
    }
}
