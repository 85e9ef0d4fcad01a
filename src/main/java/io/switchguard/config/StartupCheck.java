package io.switchguard.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/** Refuses to start on a bad configuration, naming every offending key at once. Runs before anything else. */
@ApplicationScoped
public class StartupCheck {

    void check(@Observes @Priority(1) StartupEvent event, SwitchguardConfig config, ConfiguredTargets targets,
            Mode mode) {
        List<String> problems = new ArrayList<>(targets.problems());
        problems.addAll(ConfigValidator.problems(config, targets, mode.sandbox()));
        problems.addAll(mode.problems());
        problems.addAll(Placeholders.problems(config, targets));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("switchguard configuration is invalid:\n  " + String.join("\n  ", problems));
        }
    }
}
