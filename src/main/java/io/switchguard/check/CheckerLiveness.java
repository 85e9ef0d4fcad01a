package io.switchguard.check;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when a watched target's last check is older than three of its intervals plus the verify timeout (an
 * automatic switchover is verified inside its target's check): the checker is stuck, and a restart is the cure.
 *
 * <p>Liveness, not readiness (issue 17.8): readiness is about serving the API, and taking every replica out of
 * the Service because checks are late would take away the manual /swap exactly when an operator needs it. The
 * health endpoints are open, so the answer names no target; /status (with a key) shows which one is late.
 */
@Liveness
@ApplicationScoped
public class CheckerLiveness implements HealthCheck {

    private final Checker checker;
    private final Targets targets;
    private final SwitchguardConfig config;
    private final Clock clock;
    private final Instant started;

    public CheckerLiveness(Checker checker, Targets targets, SwitchguardConfig config, Clock clock) {
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
            return builder.withData("schedule", "off").build();
        }
        Instant now = clock.instant();
        Duration verify = config.switchover().verifyTimeout();
        long stale = targets.all().stream().filter(t -> t.probe() != null).filter(t -> {
            Instant last = checker.lastChecked(t.name(), started);
            return last.plus(t.probe().interval().multipliedBy(3)).plus(verify).isBefore(now);
        }).count();
        if (stale > 0) {
            builder.down().withData("stale", stale + " target(s) not checked for over 3 intervals");
        }
        return builder.build();
    }
}
