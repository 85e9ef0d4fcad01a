package io.switchguard.check;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready when a watched target's last check is older than three of its intervals: the checker is stuck. */
@Readiness
@ApplicationScoped
public class CheckerReadiness implements HealthCheck {

    private final Checker checker;
    private final Targets targets;
    private final SwitchguardConfig config;
    private final Clock clock;
    private final Instant started;

    public CheckerReadiness(Checker checker, Targets targets, SwitchguardConfig config, Clock clock) {
        this.checker = checker;
        this.targets = targets;
        this.config = config;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("checker").up();
        if (!config.check().scheduler()) {
            return builder.withData("schedule", "off: cycles run through /check").build();
        }
        Instant now = clock.instant();
        for (Target t : targets.all()) {
            if (t.probe() == null) {
                continue;
            }
            Instant last = checker.lastChecked().getOrDefault(t.name(), started);
            boolean stale = last.plus(t.probe().interval().multipliedBy(3)).isBefore(now);
            builder.withData(t.name(), last.toString());
            if (stale) {
                builder.down().withData(t.name() + ".stale", "last check older than 3 intervals");
            }
        }
        return builder.build();
    }
}
