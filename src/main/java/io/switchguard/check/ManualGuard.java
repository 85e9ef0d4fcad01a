package io.switchguard.check;

import io.switchguard.config.Target;
import io.switchguard.policy.Observation;
import io.switchguard.policy.Policy;
import io.switchguard.policy.Rules;
import io.switchguard.switchover.SafetyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * A planned manual switchover first checks that the standby is healthy and caught up, on the state read when the
 * call is made: never on the checker's last view, which can be an interval old while a DR falls an hour behind.
 * max-data-loss applies whether or not the target is probed (its cloud status is read for it). Manual calls are
 * not held back by an automatic action's cooldown nor by pause (CONTRACT §4), but by a failed preflight (the call
 * would likely fail halfway); force skips this guard.
 */
@ApplicationScoped
public class ManualGuard implements SafetyGuard {

    private final Observer observer;
    private final PreflightGate preflight;
    private final Clock clock;

    public ManualGuard(Observer observer, PreflightGate preflight, Clock clock) {
        this.observer = observer;
        this.preflight = preflight;
        this.clock = clock;
    }

    @Override
    public Optional<String> beforeManual(Target target, boolean force) {
        if (force) {
            return Optional.empty();
        }
        Optional<String> unready = preflight.unready(target);
        if (unready.isPresent()) {
            return Optional.of(unready.get() + "; send force to override");
        }
        if (target.probe() == null) {
            if (target.maxDataLoss() == null) {
                return Optional.empty();
            }
            Observation cloudOnly = new Observation(clock.instant(), null, observer.cloudStatus(target).orElse(null),
                    null);
            return Policy.manualGuard(rulesOf(target), cloudOnly, false, clock.instant());
        }
        Observer.Seen seen = observer.observeNow(target);
        if (!seen.complete()) {
            // A guard that could not look does not say yes.
            return Optional.of("the standby and data-loss checks could not run now (" + String.join("; ",
                    seen.notRun()) + "); send force to override");
        }
        return Policy.manualGuard(Checker.rules(target), seen.observation(), false, clock.instant());
    }

    /** A target without a probe section: only its cooldown, max-data-loss and auto matter here. */
    private static Rules rulesOf(Target t) {
        return new Rules(1, 1, null, null, t.cooldown(), t.maxDataLoss(), t.auto());
    }
}
