package io.switchguard.drill;

import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.check.Observer;
import io.switchguard.check.StateStore;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.notify.Notifications;
import io.switchguard.policy.Observation;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.HttpProbe;
import io.switchguard.probe.Probe;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.Probes;
import io.switchguard.store.ActionStore;
import io.switchguard.switchover.SafetyGuard;
import io.switchguard.switchover.SwitchoverRequest;
import io.switchguard.switchover.SwitchoverResult;
import io.switchguard.switchover.SwitchoverService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A drill (practice run) of one target, as AWS Route 53 ARC's practice runs go: blocking checks first (nothing is
 * sent when one says no), then the kind's planned switch through the one switchover path (trigger "drill", so the
 * manual guards run again at the call), a hold while outcome checks probe the new primary (a failing outcome cuts
 * the hold short and switches back at once), then the switch back. Every step is on the report's timeline, with
 * RTO per direction from the journal, the data plane's unavailability as the probes saw it, and the RPO measured
 * right before the switch. Refusals are values: nothing here knows HTTP.
 */
@ApplicationScoped
public class DrillService {

    public static final String TRIGGER = "drill";
    private static final Logger LOG = Logger.getLogger(DrillService.class);
    private static final Duration ACTION_POLL = Duration.ofMillis(100);

    /**
     * A validated request: hold within bounds; checkUrl and reason nullable; caller is who asked (an API key's
     * label; a plan's drill is its maker's), null until {@link #withCaller}. Both switches are journaled on the
     * caller's behalf.
     */
    public record Request(String target, Duration hold, String checkUrl, String reason, String caller) {

        /** The same request, asked by who. */
        public Request withCaller(String who) {
            return new Request(target, hold, checkUrl, reason, who);
        }
    }

    private final Targets targets;
    private final SwitchoverService switchover;
    private final ActionStore actions;
    private final SafetyGuard guard;
    private final Observer observer;
    private final StateStore states;
    private final DrillStore store;
    private final Notifications notifications;
    private final Events events;
    private final CloudAuth auth;
    private final SwitchguardConfig config;
    private final DrillConfig drills;
    private final Clock clock;
    /** Targets with a drill in progress in this process (another replica's show up in the store). */
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final DrillLiveness liveness;
    private final ExecutorService runners = Executors.newCachedThreadPool(daemon("drill"));
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(2, daemon("drill-probe"));

    public DrillService(Targets targets, SwitchoverService switchover, ActionStore actions, SafetyGuard guard,
            Observer observer, StateStore states, DrillStore store, Notifications notifications, Events events,
            CloudAuth auth, SwitchguardConfig config, DrillConfig drills, DrillLiveness liveness, Clock clock) {
        this.targets = targets;
        this.switchover = switchover;
        this.actions = actions;
        this.guard = guard;
        this.observer = observer;
        this.states = states;
        this.store = store;
        this.notifications = notifications;
        this.events = events;
        this.auth = auth;
        this.config = config;
        this.drills = drills;
        this.liveness = liveness;
        this.clock = clock;
    }

    @PreDestroy
    void stop() {
        runners.shutdownNow();
        probes.shutdownNow();
    }

    /**
     * Runs the blocking checks now and answers: BLOCKED (nothing sent), or RUNNING with the rest of the drill going
     * on in the background (GET /drill?id= follows it). Empty when the target is unknown.
     */
    public Optional<DrillReport> start(Request request) {
        return start(request, List.of());
    }

    /** As {@link #start(Request)}, with checks the caller made first (a plan's windows) at the head of the list. */
    Optional<DrillReport> start(Request request, List<DrillReport.Guard> checkedFirst) {
        Optional<Target> found = targets.find(request.target());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Target target = found.get();
        Run run = new Run("drl-" + UUID.randomUUID(), target, request, clock.instant());
        checkedFirst.forEach(g -> run.guard(g.name(), g.passed(), g.detail()));
        if (!inProgress.add(target.name())) {
            run.guard("open-action", false, "a drill on " + target.name() + " is in progress in this replica");
            return Optional.of(blocked(run));
        }
        try {
            Observation seen = blockingChecks(run, target, request);
            if (run.guards.stream().anyMatch(g -> !g.passed())) {
                inProgress.remove(target.name());
                return Optional.of(blocked(run));
            }
            run.rpo = rpo(seen);
            run.step("started", "blocking checks passed; hold " + request.hold().toSeconds() + "s");
            store.insert(run.report(), liveness.runner());
            liveness.started(run.id);
            notify("started", run.report());
            runners.submit(auth.propagate(() -> {
                try {
                    drive(run, target);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "drill %s on %s stopped", run.id, target.name());
                } finally {
                    liveness.ended(run.id);
                    inProgress.remove(target.name());
                }
            }));
            return Optional.of(run.report());
        } catch (RuntimeException e) {
            liveness.ended(run.id);
            inProgress.remove(target.name());
            throw e;
        }
    }

    public Optional<DrillReport> find(String id) {
        return store.find(id);
    }

    public List<DrillReport> list(String target, int limit) {
        return store.list(target, limit);
    }

    /**
     * Every check is run and reported, so a blocked drill shows all that stood in its way. Returns the fresh
     * observation (its standby and cloud figures are the RPO), or null when the target has no probe section.
     */
    private Observation blockingChecks(Run run, Target target, Request request) {
        String name = target.name();
        run.guard("dry-run", !config.dryRun(), config.dryRun() ? "switchguard.dry-run is on: a drill needs real"
                + " switchovers" : "real switchovers");
        TargetState state = states.state(name);
        run.guard("paused", !state.paused(), state.paused() ? "paused: " + state.pauseReason() : "not paused");
        run.guard("incident", state.healthy(), state.healthy() ? "the checker holds the target healthy"
                : "the checker holds the target unhealthy: a real incident is open, the automatic path decides");
        List<String> open = new ArrayList<>();
        actions.locks().stream().filter(l -> l.target().equals(name))
                .forEach(l -> open.add("lock held by " + l.owner()));
        actions.list(name, 10).stream().filter(a -> !a.finished())
                .forEach(a -> open.add("action " + a.actionId() + " " + a.status()));
        store.running(name, drills.staleClaim()).forEach(d -> open.add("drill " + d.id() + " running"));
        run.guard("open-action", open.isEmpty(), open.isEmpty() ? "no open action, lock or drill"
                : String.join("; ", open));
        Optional<Observer.Seen> prior = observer.latest(name);
        run.guard("latest-observation", prior.map(s -> primaryUp(s.observation())).orElse(true), prior
                .map(s -> "the checker's latest observation (" + s.observation().at() + "): primary "
                        + (primaryUp(s.observation()) ? "up" : "not up: " + primaryDetail(s.observation())))
                .orElse("no observation yet in this replica"));
        // The manual guards on a fresh observation: standby healthy, within max-lag, within max-data-loss.
        Optional<String> no = guard.beforeManual(target, false);
        run.guard("standby", no.isEmpty(), no.orElse("standby healthy and caught up, within max-data-loss"));
        Observation fresh = target.probe() == null ? null : observer.latest(name).map(Observer.Seen::observation)
                .orElse(null);
        boolean up = fresh == null ? observer.cloudStatus(target).map(ProbeResult::up).orElse(false) : primaryUp(fresh);
        run.guard("healthy-now", up, up ? "primary up on a fresh observation"
                : "primary not up on a fresh observation" + (fresh == null ? "" : ": " + primaryDetail(fresh)));
        if (request.checkUrl() != null) {
            ProbeResult r = new HttpProbe(observer.net(), URI.create(request.checkUrl()), Duration.ofSeconds(5)).probe();
            run.guard("check-url", r.up(), request.checkUrl() + ": " + r.detail());
        }
        return fresh;
    }

    /** The background part: switch away, hold with outcome checks, switch back. */
    private void drive(Run run, Target target) {
        Sampler sampler = new Sampler(target, run.request.checkUrl());
        ScheduledFuture<?> sampling = probes.scheduleAtFixedRate(auth.propagate(sampler::sample), 0,
                drills.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        try {
            PlannedSwitch away = PlannedSwitch.away(target);
            Action first = switchLeg(run, target, "away", away, false, null);
            run.away = leg("away", away, first, sampler, null);
            if (!verified(first)) {
                // Only a refusal or a failure shown by the cloud means the roles stayed; an unverified acceptance
                // (SUCCEEDED/SKIPPED), an open or unknown outcome may have switched them.
                boolean mayHaveSwitched = first != null && first.status() != ActionStatus.FAILED
                        && first.status() != ActionStatus.REJECTED && first.status() != ActionStatus.DRY_RUN;
                run.finish(DrillReport.State.FAILED, "the switch away ended " + DrillReport.describe(first) + (mayHaveSwitched
                        ? ": the roles may have changed, check by hand (no switch back was sent)"
                        : ": nothing changed, no switch back needed"));
                return;
            }
            Stop stop = hold(run, sampler, first);
            if (stop != null && !stop.switchBack()) {
                run.away = leg("away", away, first, sampler, null);
                run.finish(DrillReport.State.INTERRUPTED, stop.why());
                return;
            }
            PlannedSwitch back = PlannedSwitch.back(target);
            // An interrupted drill switches back at once: the standby guard would be judging the failing primary.
            // Decided on the roles as the away leg left them: a switchover journaled since its end (another replica's,
            // an operator's, while this one stalled after its last look) refuses it under the lock (SG.4094).
            Action second = switchLeg(run, target, "back", back, stop != null, first.finishedAt());
            awaitGoodProbe(sampler, second);
            run.away = leg("away", away, first, sampler, second == null ? null : calledAt(second));
            run.back = leg("back", back, second, sampler, null);
            if (!verified(second)) {
                run.finish(DrillReport.State.FAILED, (stop != null ? stop.why() + "; " : "")
                        + "the switch back ended " + DrillReport.describe(second) + ": the target is left on the DR side, check"
                        + " by hand");
            } else if (stop != null) {
                run.finish(DrillReport.State.INTERRUPTED, stop.why() + "; switched back");
            } else {
                run.finish(DrillReport.State.SUCCEEDED, "switched away and back; the hold passed its outcome checks");
            }
        } finally {
            sampling.cancel(false);
            if (!run.state.finished()) {
                // An exception (the store, an interrupt at shutdown) cut the drill short.
                run.finish(DrillReport.State.FAILED, "the drill stopped before its outcome; check the roles by hand");
            }
            if (persist(run)) {
                notify(switch (run.state) {
                    case SUCCEEDED -> "completed";
                    case INTERRUPTED -> "interrupted";
                    default -> "failed";
                }, run.report());
                LOG.infof("drill %s on %s: %s (%s)", run.id, target.name(), run.state, run.detail);
            }
        }
    }

    /** Why a hold ended early, and whether the drill switches back (not when the automatic path has the target). */
    private record Stop(String why, boolean switchBack) {}

    /** Holds for the configured time; returns why it was cut short, or null when it passed. */
    private Stop hold(Run run, Sampler sampler, Action away) {
        Instant start = clock.instant();
        Instant end = start.plus(run.request.hold());
        run.step("hold", "holding " + run.request.hold().toSeconds() + "s with outcome checks every "
                + drills.probeInterval().toMillis() + "ms");
        persist(run);
        while (clock.instant().isBefore(end)) {
            Optional<String> breach = realBreach(run, away);
            if (breach.isPresent()) {
                run.step("hold.handed-over", breach.get());
                return new Stop(breach.get() + ": the drill stops here and the automatic path decides (no switch"
                        + " back)", false);
            }
            List<Sample> since = sampler.since(start);
            int failing = 0;
            for (int i = since.size() - 1; i >= 0 && !since.get(i).up(); i--) {
                failing++;
            }
            if (failing >= drills.outcomeFailures()) {
                Sample last = since.get(since.size() - 1);
                String why = "outcome check failed " + failing + " times in a row during the hold (" + last.detail()
                        + ")";
                run.step("hold.interrupted", why);
                return new Stop(why, true);
            }
            sleep(ACTION_POLL);
        }
        run.step("hold.passed", sampler.since(start).size() + " outcome probes, none failing " + drills
                .outcomeFailures() + " times in a row");
        return null;
    }

    /**
     * A drill never collides with the automatic path: once the checker holds the target unhealthy (a real breach),
     * or a switchover not of this drill was journaled on it since the switch away, switching back could undo what
     * the checker or an operator did.
     */
    private Optional<String> realBreach(Run run, Action away) {
        if (!states.state(run.target.name()).healthy()) {
            return Optional.of("the checker holds the target unhealthy (a real breach)");
        }
        return actions.list(run.target.name(), 5).stream()
                .filter(a -> a.startedAt().isAfter(away.startedAt()) && !a.actionId().equals(away.actionId())
                        && (a.requestId() == null || !a.requestId().startsWith(run.id)))
                .filter(a -> a.status() != ActionStatus.REJECTED && a.status() != ActionStatus.DRY_RUN)
                .findFirst()
                .map(a -> "a " + a.trigger() + " " + a.action() + " (" + a.actionId() + ") ran on the target during"
                        + " the hold");
    }

    /**
     * One switch through the one switchover path; waits for its outcome. Null when refused before any journal.
     * decidedOn (nullable): the instant whose roles the switch was decided on.
     */
    private Action switchLeg(Run run, Target target, String direction, PlannedSwitch planned, boolean force,
            Instant decidedOn) {
        run.step("switch." + direction, planned.action() + (planned.mode() != null ? " mode " + planned.mode() : "")
                + (force ? " (forced: switching back from a failing primary)" : ""));
        if (!persist(run)) {
            return null; // the leader ended this drill as abandoned while this runner stalled: nothing more is sent
        }
        SwitchoverResult result = switchover.switchover(new SwitchoverRequest(target.name(), planned.action(),
                TRIGGER, "drill " + run.id + " " + direction + (run.request.reason() != null ? ": "
                        + run.request.reason() : ""), run.id + "-" + direction, force, false, planned.mode(), null,
                decidedOn, run.request.caller()));
        if (result instanceof SwitchoverResult.Refused r) {
            run.step("switch." + direction + ".refused", r.message());
            return null;
        }
        Action a = ((SwitchoverResult.Journaled) result).action();
        Instant deadline = clock.instant().plus(config.switchover().followTimeout()).plusSeconds(10);
        while (!a.finished() && clock.instant().isBefore(deadline)) {
            sleep(ACTION_POLL);
            a = actions.find(a.actionId()).orElse(a);
        }
        run.step("switch." + direction + ".done", "action " + a.actionId() + " " + DrillReport.describe(a));
        return a;
    }

    /** After the switch back, the data plane is watched until a probe comes good (bounded), to close the figure. */
    private void awaitGoodProbe(Sampler sampler, Action back) {
        if (back == null) {
            return;
        }
        Instant deadline = clock.instant().plusSeconds(10);
        Instant from = calledAt(back);
        while (clock.instant().isBefore(deadline)) {
            List<Sample> since = sampler.since(from);
            if (!since.isEmpty() && since.get(since.size() - 1).up()) {
                return;
            }
            sleep(ACTION_POLL);
        }
    }

    private DrillReport.Leg leg(String direction, PlannedSwitch planned, Action a, Sampler sampler, Instant until) {
        if (a == null) {
            return new DrillReport.Leg(direction, null, planned.action(), planned.mode(), "REFUSED", null, null, null,
                    null, null);
        }
        Instant called = calledAt(a);
        boolean ok = verified(a);
        return new DrillReport.Leg(direction, a.actionId(), a.action(), planned.mode(), a.status().name(),
                a.verification().name(), called, ok ? a.finishedAt() : null,
                ok ? Duration.between(called, a.finishedAt()).toMillis() : null,
                sampler.unavailability(called, until, drills.probeInterval()));
    }

    private static Instant calledAt(Action a) {
        return a.steps().stream().filter(s -> s.name().equals("call")).map(Action.Step::at).findFirst()
                .orElse(a.startedAt());
    }

    private static boolean verified(Action a) {
        return a != null && a.status() == ActionStatus.SUCCEEDED && a.verification() == Verification.VERIFIED;
    }

    private DrillReport blocked(Run run) {
        List<String> why = run.guards.stream().filter(g -> !g.passed()).map(g -> g.name() + ": " + g.detail()).toList();
        run.finish(DrillReport.State.BLOCKED, "blocked: " + String.join("; ", why));
        DrillReport r = run.report();
        store.insert(r, null);
        notify("blocked", r);
        LOG.infof("drill %s on %s blocked: %s", run.id, run.target.name(), why);
        return r;
    }

    /** Writes the report; false when the row was ended meanwhile as abandoned (that outcome stands). */
    private boolean persist(Run run) {
        if (store.update(run.report())) {
            return true;
        }
        LOG.warnf("drill %s on %s was ended as abandoned while this replica still ran it (not heard of for %ss):"
                + " it stops here and sends nothing more", run.id, run.target.name(), drills.staleClaim().toSeconds());
        return false;
    }

    private void notify(String what, DrillReport r) {
        notifications.enqueue(events.forTarget(DrillReport.EVENT_PREFIX + what, r.target(), r));
    }

    private static boolean primaryUp(Observation o) {
        return o.dataPlane() != null ? o.dataPlane().up() : o.cloud() != null && o.cloud().up();
    }

    private static String primaryDetail(Observation o) {
        ProbeResult r = o.dataPlane() != null ? o.dataPlane() : o.cloud();
        return r == null ? "no primary signal" : r.detail();
    }

    /**
     * The replication lag as the fresh observation had it, read as the policy reads it: the largest byte lag
     * (redis master or standby), the largest lag and the oldest last sync (drs, dws cloud status).
     */
    private DrillReport.Rpo rpo(Observation o) {
        if (o == null) {
            return new DrillReport.Rpo(null, null, null, "no probe section: no replication figure measured");
        }
        Long bytes = null;
        Duration lag = null;
        Instant lastSync = null;
        for (ProbeResult r : new ProbeResult[] {o.dataPlane(), o.cloud(), o.standby()}) {
            if (r == null) {
                continue;
            }
            if (r.lagBytes() != null && (bytes == null || r.lagBytes() > bytes)) {
                bytes = r.lagBytes();
            }
            if (r.lag() != null && (lag == null || r.lag().compareTo(lag) > 0)) {
                lag = r.lag();
            }
            if (r.lastSync() != null && (lastSync == null || r.lastSync().isBefore(lastSync))) {
                lastSync = r.lastSync();
            }
        }
        Duration behind = lag != null ? lag : lastSync != null ? Duration.between(lastSync, o.at()) : null;
        String what = bytes == null && behind == null ? "no lag measured" : (bytes != null ? bytes + " bytes" : "")
                + (bytes != null && behind != null ? ", " : "") + (behind != null ? behind.toMillis() + " ms" : "");
        return new DrillReport.Rpo(bytes, behind == null ? null : behind.toMillis(), lastSync, what + " at " + o.at());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One probe of the primary (and the check URL) at a moment. */
    record Sample(Instant at, boolean up, String detail) {}

    /** Probes the primary's data plane (the cloud status for a target without one) and the check URL. */
    private final class Sampler {

        private final Target target;
        private final Probe dataPlane;
        private final Probe url;
        private final List<Sample> samples = new CopyOnWriteArrayList<>();

        Sampler(Target target, String checkUrl) {
            this.target = target;
            this.dataPlane = target.probe() == null ? null : Probes.dataPlaneOnce(observer.net(), target.probe()).orElse(null);
            this.url = checkUrl == null ? null : new HttpProbe(observer.net(), URI.create(checkUrl), Duration.ofSeconds(2));
        }

        /** Never throws: an exception would end the periodic task silently. */
        void sample() {
            try {
                probeOnce();
            } catch (RuntimeException e) {
                samples.add(new Sample(clock.instant(), false, "probe failed: " + e.getMessage()));
            }
        }

        private void probeOnce() {
            Instant at = clock.instant();
            ProbeResult primary = dataPlane != null ? dataPlane.probe()
                    : observer.cloudStatus(target).orElse(ProbeResult.down("cloud status not read", Duration.ZERO));
            ProbeResult check = url == null ? null : url.probe();
            boolean up = primary.up() && (check == null || check.up());
            samples.add(new Sample(at, up, (dataPlane != null ? dataPlane.describe() : "cloud status") + ": "
                    + primary.detail() + (check == null ? "" : "; check URL: " + check.detail())));
        }

        List<Sample> since(Instant from) {
            return samples.stream().filter(s -> !s.at().isBefore(from)).toList();
        }

        DrillReport.Unavailability unavailability(Instant from, Instant until, Duration every) {
            List<Sample> window = samples.stream().filter(s -> !s.at().isBefore(from)
                    && (until == null || s.at().isBefore(until))).toList();
            Instant failed = null;
            Instant good = null;
            for (Sample s : window) {
                if (failed == null && !s.up()) {
                    failed = s.at();
                } else if (failed != null && s.up()) {
                    good = s.at();
                    break;
                }
            }
            int failures = (int) window.stream().filter(s -> !s.up()).count();
            Long millis = failed == null ? Long.valueOf(0) : good == null ? null
                    : Long.valueOf(Duration.between(failed, good).toMillis());
            return new DrillReport.Unavailability(failed, good, millis, window.size(), failures, every.toMillis());
        }
    }

    /** The drill as it goes: what the report is built from. */
    private final class Run {

        final String id;
        final Target target;
        final Request request;
        final Instant startedAt;
        final List<DrillReport.Guard> guards = new CopyOnWriteArrayList<>();
        final List<DrillReport.Step> timeline = new CopyOnWriteArrayList<>();
        volatile DrillReport.State state = DrillReport.State.RUNNING;
        volatile String detail;
        volatile Instant finishedAt;
        volatile DrillReport.Leg away;
        volatile DrillReport.Leg back;
        volatile DrillReport.Rpo rpo;

        Run(String id, Target target, Request request, Instant startedAt) {
            this.id = id;
            this.target = target;
            this.request = request;
            this.startedAt = startedAt;
            step("requested", "drill of " + target.name() + " (" + target.kind().id() + ")"
                    + (request.reason() != null ? ": " + request.reason() : ""));
        }

        void guard(String name, boolean passed, String why) {
            guards.add(new DrillReport.Guard(name, passed, why));
            step("check." + name, (passed ? "passed: " : "failed: ") + why);
        }

        void step(String name, String why) {
            timeline.add(new DrillReport.Step(clock.instant(), name, why));
        }

        void finish(DrillReport.State outcome, String why) {
            step("outcome", outcome.name().toLowerCase(Locale.ROOT) + ": " + why);
            detail = why;
            finishedAt = clock.instant();
            state = outcome;
        }

        DrillReport report() {
            return new DrillReport(id, target.name(), target.kind().id(), state, request.reason(),
                    request.hold().toMillis(), request.checkUrl(), startedAt, request.caller(), finishedAt, detail,
                    List.copyOf(guards), List.copyOf(timeline), away, back, rpo);
        }
    }
}
