package io.switchguard.check;

import io.switchguard.config.Target;
import io.switchguard.policy.Policy;
import io.switchguard.switchover.SafetyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A planned manual switchover first checks that the standby is healthy and caught up, on the checker's
 * latest view if it is fresh (two intervals), else on a new observation. Manual calls are not held back by an
 * automatic action's cooldown nor by pause (CONTRACT §4).
 */
@ApplicationScoped
public class ManualGuard implements SafetyGuard {

    private final Observer observer;
    private final Clock clock;

    public ManualGuard(Observer observer, Clock clock) {
        this.observer = observer;
        this.clock = clock;
    }

    @Override
    public Optional<String> beforeManual(Target target, boolean force) {
        if (force || target.probe() == null) {
            return Optional.empty();
        }
        Duration fresh = target.probe().interval().multipliedBy(2);
        Observer.Seen seen = observer.latest(target.name())
                .filter(s -> s.observation().at().isAfter(clock.instant().minus(fresh)))
                .orElseGet(() -> observer.observe(target));
        return Policy.manualGuard(Checker.rules(target), seen.observation(), false, clock.instant());
    }
}
