package io.switchguard.config;

import io.quarkus.runtime.StartupEvent;
import io.switchguard.http.ApiKeys;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Refuses to start on a bad configuration, naming every offending key at once. Runs before anything else. */
@ApplicationScoped
public class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class);

    void check(@Observes @Priority(1) StartupEvent event, SwitchguardConfig config, ConfiguredTargets targets, Mode mode,
            ApiKeys keys) {
        List<String> problems = new ArrayList<>(targets.problems());
        problems.addAll(ConfigValidator.problems(config, targets, mode.sandbox()));
        problems.addAll(mode.problems());
        problems.addAll(Placeholders.problems(config, targets));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("switchguard configuration is invalid:\n  " + String.join("\n  ", problems));
        }
        if (keys.disabled()) {
            LOG.warn("*** switchguard.api.keys=none: API authentication is OFF. Anyone who can reach this port can "
                    + "trigger switchovers. Use this only behind another authenticating proxy. ***");
        }
    }
}
