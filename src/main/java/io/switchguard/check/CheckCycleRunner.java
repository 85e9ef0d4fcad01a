package io.switchguard.check;

import io.switchguard.faas.CycleRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** The FaaS timer's /invoke runs the very cycle /check runs. */
@ApplicationScoped
public class CheckCycleRunner implements CycleRunner {

    private final Checker checker;

    public CheckCycleRunner(Checker checker) {
        this.checker = checker;
    }

    @Override
    public Map<String, Object> runCycle() {
        return Map.of("targets", checker.cycle());
    }
}
