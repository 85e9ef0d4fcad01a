package io.switchguard.check;

import io.micrometer.core.instrument.Counter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Each watched target on its own fixed-rate timer on an event loop, the fleet spread over all of them, started at a
 * phase of its own (a hash of its name, spread over its interval), so 10,000 targets at 1 s fire about ten a
 * millisecond, not all at once. A tick
 * starts the target's probes and returns; their results go to the checker's next batch. A target still being
 * observed or decided, or being switched over, when its next tick comes skips that tick (counted in
 * switchguard_check_skipped_total): a slow target never piles up work, and targets never wait for each other.
 *
 * <p>Fast mode: when a target's kept connection is lost between probes, the loss is observed and decided at once,
 * and the target's timer starts again from that moment, so its next probes come one interval after the evidence.
 */
@ApplicationScoped
public class CheckScheduler {

    private static final Logger LOG = Logger.getLogger(CheckScheduler.class);

    private final Vertx vertx;
    private final Checker checker;
    private final Observer observer;
    private final Targets targets;
    private final SwitchguardConfig config;
    private final Map<String, Long> timers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> observing = new ConcurrentHashMap<>();
    /** Fast-mode targets whose connection was lost while a check was running: observed again right after it. */
    private final java.util.Set<String> owed = ConcurrentHashMap.newKeySet();
    private final Counter skipped;

    public CheckScheduler(Vertx vertx, Checker checker, Observer observer, Targets targets, SwitchguardConfig config,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.vertx = vertx;
        this.checker = checker;
        this.observer = observer;
        this.targets = targets;
        this.config = config;
        this.skipped = metrics.counter("switchguard_check_skipped");
    }

    /** After the sandbox (priority 10) has given demo targets their addresses. */
    void start(@Observes @Priority(50) StartupEvent event) {
        if (!config.check().scheduler()) {
            LOG.info("checker schedule off (switchguard.check.scheduler=false): cycles run only through /check");
            return;
        }
        run();
    }

    /** Every watched target on its timer. */
    void run() {
        observer.onLost(this::lost);
        EventLoops loops = EventLoops.of(vertx);
        int watched = 0;
        for (Target target : targets.all()) {
            if (target.probe() == null) {
                continue;
            }
            Duration interval = target.probe().interval();
            // Set on the target's own loop: its ticks, probes and their I/O all stay there.
            loops.get(watched).runOnContext(v -> schedule(target.name(), phase(target.name(), interval)));
            watched++;
            LOG.debugf("checking %s every %s", target.name(), interval);
        }
        LOG.infof("checking %d targets, each at its own interval and phase, over %d event loops", watched, loops.size());
    }

    void stop(@Observes ShutdownEvent event) {
        timers.values().forEach(vertx::cancelTimer);
        timers.clear();
    }

    /** Where in its interval a target's ticks fall: fixed per name, spread evenly over the fleet. */
    static Duration phase(String name, Duration interval) {
        long spread = Math.max(1, interval.toMillis());
        return Duration.ofMillis(Math.floorMod(mix(name.hashCode()), spread));
    }

    /** Spreads similar names (scale-1, scale-2...) apart: String.hashCode of neighbours differs by one. */
    private static long mix(int h) {
        long x = h * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /** (Re)starts a target's fixed-rate ticks, the first after {@code first}. */
    private void schedule(String name, Duration first) {
        Target target = targets.find(name).orElse(null);
        if (target == null || target.probe() == null) {
            return;
        }
        long interval = Math.max(1, target.probe().interval().toMillis());
        Long before = timers.put(name, vertx.setPeriodic(Math.max(1, first.toMillis()), interval, id -> tick(name, false)));
        if (before != null) {
            vertx.cancelTimer(before);
        }
    }

    private void tick(String name, boolean immediate) {
        Target target = targets.find(name).orElse(null);
        if (target == null) {
            return;
        }
        if (checker.notOwnedHere(name)) {
            return;
        }
        if (checker.acting(name)) {
            skipped.increment();
            return;
        }
        if (observing.putIfAbsent(name, Boolean.TRUE) != null) {
            if (immediate) {
                // The evidence waits only for the check already running, not for the next tick.
                owed.add(name);
            } else {
                skipped.increment();
            }
            return;
        }
        // The target's own loop, where its next owed tick runs once this observation has been decided.
        Context loop = vertx.getOrCreateContext();
        try {
            observer.observeAsync(target).whenComplete((seen, failure) -> {
                if (failure != null) {
                    LOG.errorf(failure, "check of %s failed", name);
                    decided(name, loop);
                } else {
                    checker.submit(target, seen, immediate, () -> decided(name, loop));
                }
            });
        } catch (RuntimeException e) {
            observing.remove(name);
            LOG.errorf(e, "check of %s failed", name);
        }
    }

    /**
     * The target's observation has been decided: its next tick may probe again. Until then a tick skips, so when
     * decisions fall behind the probes (10,000 targets on a busy machine) the backlog is one observation a target,
     * counted as skipped ticks, where before every tick queued one more and the heap ran out.
     */
    private void decided(String name, Context loop) {
        observing.remove(name);
        if (owed.remove(name)) {
            loop.runOnContext(v -> tick(name, true));
        }
    }

    /** A fast-mode target's kept connection closed: count that now, and probe again one interval from now. */
    private void lost(String name) {
        Target target = targets.find(name).orElse(null);
        if (target == null || target.probe() == null) {
            return;
        }
        LOG.infof("target=%s: the kept connection to its data plane was closed: counted as a failed probe now", name);
        schedule(name, target.probe().interval());
        tick(name, true);
    }
}
