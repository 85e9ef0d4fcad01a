package io.switchguard.check;

import io.switchguard.faas.CycleRunner;
import jakarta.enterprise.context.ApplicationScoped;

/** The FaaS timer's /invoke runs the very cycle /check runs. */
@ApplicationScoped
public class CheckCycleRunner implements CycleRunner {

    private final Checker checker;

    public CheckCycleRunner(Checker checker) {
        this.checker = checker;
    }

    @Override
    public Object runCycle() {
        return java.util.Map.of("targets", checker.cycle());
    }
}
