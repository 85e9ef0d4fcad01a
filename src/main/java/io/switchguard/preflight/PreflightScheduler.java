package io.switchguard.preflight;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.switchguard.config.Mode;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * One preflight job per target every switchguard.preflight.interval (every retry while it fails), probed or not (a target switched only by
 * hand gains from knowing its credential was revoked too). Runs only with the checker's schedule on.
 */
@ApplicationScoped
public class PreflightScheduler {

    private static final Logger LOG = Logger.getLogger(PreflightScheduler.class);

    private final Scheduler scheduler;
    private final Preflight preflight;
    private final Targets targets;
    private final SwitchguardConfig config;
    private final Mode mode;

    public PreflightScheduler(Scheduler scheduler, Preflight preflight, Targets targets, SwitchguardConfig config,
            Mode mode) {
        this.scheduler = scheduler;
        this.preflight = preflight;
        this.targets = targets;
        this.config = config;
        this.mode = mode;
    }

    /** After the sandbox (priority 10) has made its resources. */
    void start(@Observes @Priority(60) StartupEvent event) {
        // A FaaS deployment's credentials arrive with each invocation: a schedule of its own would sign with none.
        if (!config.check().scheduler() || !config.preflight().enabled() || mode.faas()) {
            LOG.info("preflight schedule off (switchguard.check.scheduler or switchguard.preflight.enabled is false,"
                    + " or a FaaS deployment)");
            return;
        }
        for (Target target : targets.all()) {
            String name = target.name();
            scheduler.newJob("preflight-" + name)
                    // Ticks at the finer of the two periods; a tick runs only when the target is due.
                    .setInterval(min(config.preflight().interval(), config.preflight().retry()).toString())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> {
                        try {
                            targets.find(name).filter(t -> preflight.due(t, config.preflight().interval(),
                                    config.preflight().retry())).ifPresent(preflight::run);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "preflight of %s failed", name);
                        }
                    })
                    .schedule();
        }
        LOG.infof("preflight of %d targets every %s", targets.all().size(), config.preflight().interval());
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
