package io.switchguard.drill;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.switchguard.config.Targets;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Drills on a schedule, as Route 53 ARC's autoshift practice runs: a cron expression (5 fields, UTC), allowed and
 * blocked windows and blocked dates. The lease holder runs a due plan once (claimed by moving its next time on);
 * a time the windows forbid still makes a drill, BLOCKED by the "window" check, so the report says why none ran.
 * A time missed by more than {@code schedule-grace} (no leader) is skipped to the next.
 */
@ApplicationScoped
public class DrillPlanService {

    private static final Logger LOG = Logger.getLogger(DrillPlanService.class);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** A validated plan request; caller is who asked (an API key's label), null until {@link #withCaller}. */
    public record Request(String target, String cron, Duration hold, String checkUrl, String reason,
            List<String> allowedWindows, List<String> blockedWindows, List<LocalDate> blockedDates, String caller) {

        /** The same request, asked by who. */
        public Request withCaller(String who) {
            return new Request(target, cron, hold, checkUrl, reason, allowedWindows, blockedWindows, blockedDates,
                    who);
        }
    }

    private final DrillPlanStore store;
    private final DrillService drills;
    private final Targets targets;
    private final LeaseKeeper keeper;
    private final DrillConfig config;
    private final Clock clock;

    public DrillPlanService(DrillPlanStore store, DrillService drills, Targets targets, LeaseKeeper keeper,
            DrillConfig config, Clock clock) {
        this.store = store;
        this.drills = drills;
        this.targets = targets;
        this.keeper = keeper;
        this.config = config;
        this.clock = clock;
    }

    /** The next time of a cron expression after {@code after}, or empty when the text is no 5-field cron or never fires. */
    static Optional<Instant> next(String cron, Instant after) {
        try {
            return ExecutionTime.forCron(CRON.parse(cron).validate()).nextExecution(after.atZone(ZoneOffset.UTC))
                    .map(t -> t.toInstant());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Empty when the target is unknown. */
    public Optional<DrillPlan> create(Request r) {
        if (targets.find(r.target()).isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        DrillPlan plan = new DrillPlan("plan-" + UUID.randomUUID(), r.target(), r.cron(), r.hold().toMillis(),
                r.checkUrl(), r.reason(), r.allowedWindows(), r.blockedWindows(), r.blockedDates(),
                DrillPlan.State.ACTIVE, next(r.cron(), now).orElseThrow(), now, r.caller(), null, null, null);
        store.create(plan);
        LOG.infof("drill plan %s: %s on %s by %s, next at %s", plan.id(), r.cron(), r.target(), r.caller(),
                plan.nextAt());
        return store.find(plan.id());
    }

    public List<DrillPlan> list(String target) {
        return store.list(target);
    }

    public Optional<DrillPlan> find(String id) {
        return store.find(id);
    }

    /** Cancels an active plan; by is who asked (an API key's label). False when it was cancelled already. */
    public boolean cancel(String id, String by) {
        if (!store.cancel(id, by)) {
            return false;
        }
        LOG.infof("drill plan %s cancelled by %s", id, by);
        return true;
    }

    @Scheduled(identity = "switchguard-drill-plans", every = "1s", concurrentExecution = ConcurrentExecution.SKIP,
            skipExecutionIf = DueWork.InFaas.class)
    void tick() {
        try {
            runDue(keeper.leadership());
        } catch (RuntimeException e) {
            LOG.errorf(e, "drill plans: run failed");
        }
    }

    /** Runs the due plans if {@code leadership} is present; returns how many drills this call started. */
    int runDue(Optional<Lease> leadership) {
        if (leadership.isEmpty()) {
            return 0;
        }
        int started = 0;
        Instant now = clock.instant();
        for (DrillPlan p : store.due()) {
            Optional<Instant> next = next(p.cron(), now);
            if (next.isEmpty() || !store.advance(p, next.get())) {
                continue;
            }
            if (p.nextAt().isBefore(now.minus(config.scheduleGrace()))) {
                LOG.warnf("drill plan %s on %s: its time %s passed more than %s ago with no leader; skipped to %s",
                        p.id(), p.target(), p.nextAt(), config.scheduleGrace(), next.get());
                continue;
            }
            Optional<String> no = p.windows().refuses(now);
            List<DrillReport.Guard> window = List.of(new DrillReport.Guard("window", no.isEmpty(),
                    no.orElse("inside the plan's windows")));
            Optional<DrillReport> drill = drills.start(new DrillService.Request(p.target(),
                    Duration.ofMillis(p.holdMillis()), p.checkUrl(), "plan " + p.id() + (p.reason() != null
                            ? ": " + p.reason() : ""), p.createdBy()), window);
            drill.ifPresent(d -> store.ran(p.id(), d.id()));
            started++;
        }
        return started;
    }
}
