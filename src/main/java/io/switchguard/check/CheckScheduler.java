package io.switchguard.check;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * One job per watched target at its own interval. A job that is still running when its next turn comes is
 * skipped, so a slow target never piles up work; targets never wait for each other.
 */
@ApplicationScoped
public class CheckScheduler {

    private static final Logger LOG = Logger.getLogger(CheckScheduler.class);

    private final Scheduler scheduler;
    private final Checker checker;
    private final Targets targets;
    private final SwitchguardConfig config;

    public CheckScheduler(Scheduler scheduler, Checker checker, Targets targets, SwitchguardConfig config) {
        this.scheduler = scheduler;
        this.checker = checker;
        this.targets = targets;
        this.config = config;
    }

    /** After the sandbox (priority 10) has given demo targets their addresses. */
    void start(@Observes @Priority(50) StartupEvent event) {
        if (!config.check().scheduler()) {
            LOG.info("checker schedule off (switchguard.check.scheduler=false): cycles run only through /check");
            return;
        }
        for (Target target : targets.all()) {
            if (target.probe() == null) {
                continue;
            }
            String name = target.name();
            scheduler.newJob("check-" + name)
                    .setInterval(target.probe().interval().toString())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> {
                        try {
                            targets.find(name).ifPresent(checker::check);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "check of %s failed", name);
                        }
                    })
                    .schedule();
            LOG.infof("checking %s every %s", name, target.probe().interval());
        }
    }
}
