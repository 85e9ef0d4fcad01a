package io.switchguard.drill;

import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.switchguard.action.Action;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.notify.Notifications;
import io.switchguard.store.ActionStore;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.switchover.SwitchoverRequest;
import io.switchguard.switchover.SwitchoverResult;
import io.switchguard.switchover.SwitchoverService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Scheduled planned switchovers: kept in the store, run once by the lease holder when their time comes, through the
 * one switchover path with trigger "scheduled" (so the manual guards are evaluated then, and the action is journaled
 * and notified like any other), fenced by the leader's term. A time that passed while no leader ran is run when a
 * leader appears, or marked MISSED once older than {@code switchguard.drills.schedule-grace}.
 * Refusals are values (the functions turn them into HTTP answers).
 */
@ApplicationScoped
public class ScheduleService {

    public static final String TRIGGER = "scheduled";
    static final String EVENT_PREFIX = "io.switchguard.schedule.";
    private static final Logger LOG = Logger.getLogger(ScheduleService.class);

    /** What a create or cancel came to. */
    public sealed interface Outcome {
        record Done(Schedule schedule) implements Outcome {}

        record NotFound(String message) implements Outcome {}

        record Conflict(String message) implements Outcome {}
    }

    private final ScheduleStore store;
    private final ActionStore actions;
    private final Targets targets;
    private final SwitchoverService switchover;
    private final LeaseKeeper keeper;
    private final Notifications notifications;
    private final Events events;
    private final DrillConfig config;
    private final Clock clock;

    public ScheduleService(ScheduleStore store, ActionStore actions, Targets targets, SwitchoverService switchover, LeaseKeeper keeper,
            Notifications notifications, Events events, DrillConfig config, Clock clock) {
        this.store = store;
        this.actions = actions;
        this.targets = targets;
        this.switchover = switchover;
        this.keeper = keeper;
        this.notifications = notifications;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A validated request: at in the future, reason given; requestId nullable (one is derived); caller is who asked
     * (an API key's label), null until {@link #withCaller}.
     */
    public record Request(String target, java.time.Instant at, String reason, String requestId, String caller) {

        /** The same request, asked by who. */
        public Request withCaller(String who) {
            return new Request(target, at, reason, requestId, who);
        }
    }

    public Outcome create(Request r) {
        if (targets.find(r.target()).isEmpty()) {
            return new Outcome.NotFound("unknown target '" + r.target() + "'");
        }
        String id = "sch-" + UUID.randomUUID();
        String requestId = r.requestId() != null ? r.requestId() : id;
        Schedule s = new Schedule(id, r.target(), r.at(), r.reason(), requestId, Schedule.State.PENDING,
                clock.instant(), r.caller(), null, null, null, null, null, null);
        Optional<Schedule> earlier = store.findByRequestId(requestId);
        if (earlier.isEmpty() && r.requestId() != null) {
            // A requestId names one switchover, the first call's (issue #11 item 7): a schedule under the key of one
            // that already ran would only ever "run" as that one's outcome.
            Optional<Action> used = actions.findByRequestId(requestId);
            if (used.isPresent()) {
                return new Outcome.Conflict(usedBy(requestId, used.get()));
            }
        }
        if (earlier.isPresent() || !store.create(s)) {
            // The same requestId again: the first schedule is the answer, if it is for the same target and time.
            Schedule first = earlier.orElseGet(() -> store.findByRequestId(requestId).orElseThrow());
            if (first.target().equals(r.target()) && first.at().equals(r.at().truncatedTo(ChronoUnit.MICROS))) {
                return new Outcome.Done(first);
            }
            return new Outcome.Conflict("requestId '" + requestId + "' was already used for schedule " + first.id());
        }
        Schedule created = store.find(id).orElseThrow();
        notify("created", created);
        LOG.infof("schedule %s: planned switchover of %s at %s by %s (%s)", id, r.target(), r.at(), r.caller(),
                r.reason());
        return new Outcome.Done(created);
    }

    public List<Schedule> list(String target, int limit) {
        return store.list(target, limit).stream().map(this::settled).toList();
    }

    /**
     * A run records its action's state as the call left it; a DWS switchover is SUBMITTED then, a swap whose state was
     * slow to show it SUBMITTED or UNKNOWN. Such a row is listed with the outcome its action ended with since, so the
     * schedule never shows a first answer that the cloud's state has overruled.
     */
    private Schedule settled(Schedule s) {
        if (s.actionId() == null || s.outcome() == null || !(s.outcome().startsWith("SUBMITTED/")
                || s.outcome().startsWith("UNKNOWN/PENDING"))) {
            return s;
        }
        return actions.find(s.actionId()).filter(Action::finished)
                .map(a -> new Schedule(s.id(), s.target(), s.at(), s.reason(), s.requestId(), s.state(), s.createdAt(),
                        s.createdBy(), s.claimedBy(), s.claimedAt(), s.actionId(), outcome(a), s.finishedAt(),
                        s.cancelledBy()))
                .orElse(s);
    }

    private static String outcome(Action a) {
        return a.status() + "/" + a.verification() + ": " + a.detail();
    }

    /** Cancels a pending schedule; by is who asked (an API key's label). */
    public Outcome cancel(String id, String reason, String by) {
        Optional<Schedule> found = store.find(id);
        if (found.isEmpty()) {
            return new Outcome.NotFound("no schedule '" + id + "'");
        }
        if (!store.cancel(id, "cancelled: " + reason, by)) {
            return new Outcome.Conflict("schedule " + id + " is " + store.find(id).orElseThrow().state()
                    + ": only a PENDING schedule can be cancelled");
        }
        Schedule cancelled = store.find(id).orElseThrow();
        notify("cancelled", cancelled);
        LOG.infof("schedule %s cancelled by %s: %s", id, by, reason);
        return new Outcome.Done(cancelled);
    }

    /** Every second on every replica, only the leader acting; in FaaS, /invoke runs it instead (DueWork). */
    @Scheduled(identity = "switchguard-schedules", every = "1s", concurrentExecution = ConcurrentExecution.SKIP,
            skipExecutionIf = DueWork.InFaas.class)
    void tick() {
        try {
            runDue(keeper.leadership(), keeper.instanceId());
        } catch (RuntimeException e) {
            LOG.errorf(e, "scheduled switchovers: run failed");
        }
    }

    /**
     * Runs what is due, if {@code leadership} is a live term of {@code owner}; returns how many schedules this call
     * ran. Missed ones are marked MISSED. A claim is the row's conditional update, so replicas never both run one,
     * and the call carries the term as its fence, so a leader that lost its lease after claiming sends nothing.
     */
    int runDue(Optional<Lease> leadership, String owner) {
        if (leadership.isEmpty()) {
            return 0;
        }
        int ran = 0;
        for (Schedule s : store.due(config.staleClaim())) {
            if (s.state() == Schedule.State.PENDING && store.miss(s.id(), config.scheduleGrace(), "missed: its time "
                    + s.at() + " passed more than " + config.scheduleGrace() + " before a leader could run it")) {
                Schedule missed = store.find(s.id()).orElseThrow();
                notify("missed", missed);
                LOG.warnf("schedule %s on %s: %s", s.id(), s.target(), missed.outcome());
                continue;
            }
            if (store.claim(s.id(), owner, config.scheduleGrace(), config.staleClaim())) {
                run(s, leadership.get(), owner);
                ran++;
            }
        }
        return ran;
    }

    private void run(Schedule s, Lease lease, String owner) {
        Optional<Target> target = targets.find(s.target());
        if (target.isEmpty()) {
            store.finish(s.id(), owner, null, "not run: target '" + s.target() + "' is no longer configured");
            return;
        }
        PlannedSwitch planned = PlannedSwitch.of(target.get());
        SwitchoverResult result = switchover.switchover(SwitchoverRequest.planned(s.target(), planned.action(),
                TRIGGER, "scheduled " + s.id() + ": " + s.reason(), s.requestId(), false, planned.mode(), lease)
                .withCaller(s.createdBy()));
        if (result instanceof SwitchoverResult.Refused r) {
            store.finish(s.id(), owner, null, "refused: " + r.message());
            LOG.warnf("schedule %s on %s refused: %s", s.id(), s.target(), r.message());
            return;
        }
        Action a = ((SwitchoverResult.Journaled) result).action();
        if (actions.find(a.actionId()).isEmpty()) {
            // Fenced before anything was journaled: this replica's term ended; the next leader runs it.
            store.unclaim(s.id(), owner);
            return;
        }
        if (!TRIGGER.equals(a.trigger())) {
            // Another caller (a manual swap, a drill) took the requestId after the schedule was created: that
            // switchover is the requestId's, and this schedule did not run. An earlier run of its own (a restart
            // mid-run) is "scheduled" too, and is its outcome.
            String why = usedBy(s.requestId(), a);
            LOG.warnf("schedule %s on %s did not run: %s", s.id(), s.target(), why);
            if (store.finish(s.id(), owner, null, "not run: " + why)) {
                notify("missed", store.find(s.id()).orElseThrow());
            }
            return;
        }
        store.finish(s.id(), owner, a.actionId(), outcome(a));
        LOG.infof("schedule %s on %s ran: action %s %s", s.id(), s.target(), a.actionId(), a.status());
    }

    private static String usedBy(String requestId, Action a) {
        return "requestId '" + requestId + "' was already used by action " + a.actionId() + " (" + a.trigger() + " "
                + a.action() + ", " + a.status() + "/" + a.verification() + ")";
    }

    private void notify(String what, Schedule s) {
        notifications.enqueue(events.forTarget(EVENT_PREFIX + what, s.target(), s));
    }
}
