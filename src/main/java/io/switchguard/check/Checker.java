package io.switchguard.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.ProbeSpec;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.policy.Budget;
import io.switchguard.policy.CycleContext;
import io.switchguard.policy.Decision;
import io.switchguard.policy.Diagnosis;
import io.switchguard.policy.Evaluation;
import io.switchguard.policy.Observation;
import io.switchguard.policy.Pause;
import io.switchguard.policy.Pauses;
import io.switchguard.policy.Policy;
import io.switchguard.policy.Rules;
import io.switchguard.policy.SelfDistrust;
import io.switchguard.policy.TargetState;
import io.switchguard.policy.Verdict;
import io.switchguard.probe.ProbeResult;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.OutboxStore;
import io.switchguard.switchover.Action;
import io.switchguard.switchover.ActionStatus;
import io.switchguard.switchover.SwitchoverRequest;
import io.switchguard.switchover.SwitchoverService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The run cycle: observe, evaluate the pure policy, act through the one switchover path with trigger "auto",
 * persist the state, notify on a change of health. Every evaluation ends in one logged decision sentence,
 * "no action" included.
 */
@ApplicationScoped
public class Checker {

    private static final Logger LOG = Logger.getLogger(Checker.class);

    /** One target's result of a cycle: what was seen and what was decided (and done). */
    /** leader false: this replica only observed (another holds the lease); nothing was saved or done. */
    public record Report(String target, Instant at, boolean leader, Signals signals, Decision decision, String actionId,
            String actionStatus) {}

    /**
     * The observation as /check and /status show it; notRun names the probes this cycle did not run or finish
     * (the checker's own trouble, no signal).
     */
    public record Signals(ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby, boolean cloudApiFailed,
            List<String> notRun) {}

    /** Outcomes of a switchover that may have traded the roles (CONTRACT §3: each starts the cooldown). */
    private static final java.util.Set<ActionStatus> MAY_HAVE_SWITCHED = java.util.EnumSet.of(ActionStatus.SUCCEEDED,
            ActionStatus.SUBMITTED, ActionStatus.UNKNOWN);
    /** Journal entries read back per cycle to find the newest switchover (refusals are journaled once an episode). */
    private static final int RECENT_ACTIONS = 5;

    private final Targets targets;
    private final LeaseKeeper keeper;
    private final CloudAuth auth;
    private final Observer observer;
    private final StateStore states;
    private final SwitchoverService switchover;
    private final ActionStore journal;
    private final OutboxStore outbox;
    private final ControlJournal controls;
    private final FailoverBudget budget;
    private final ApprovalGate approvals;
    private final PreflightGate preflight;
    private final ReentrantLock budgetLock = new ReentrantLock();
    private final Events events;
    private final SwitchguardConfig config;
    private final MeterRegistry metrics;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Observing a target blocks on its probes' timeouts: a pool of its own, not the common one. */
    private final java.util.concurrent.ExecutorService cycles = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "check-cycle");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> healthy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();
    /** Per target, the lease term in which this replica last counted a probe of it (warm-up, in memory on purpose). */
    private final Map<String, Long> observedInTerm = new ConcurrentHashMap<>();

    public Checker(Targets targets, LeaseKeeper keeper, CloudAuth auth, Observer observer, StateStore states, SwitchoverService switchover,
            ActionStore journal, OutboxStore outbox, ControlJournal controls, FailoverBudget budget, ApprovalGate approvals,
            PreflightGate preflight, Events events, SwitchguardConfig config, MeterRegistry metrics, ObjectMapper mapper, Clock clock) {
        this.targets = targets;
        this.keeper = keeper;
        this.auth = auth;
        this.observer = observer;
        this.states = states;
        this.switchover = switchover;
        this.journal = journal;
        this.outbox = outbox;
        this.controls = controls;
        this.budget = budget;
        this.approvals = approvals;
        this.preflight = preflight;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Every watched target once, synchronously: the /check function and the FaaS timer. */
    public List<Report> cycle() {
        // A FaaS instance may have been frozen since its last invocation: ask the store who leads now.
        keeper.renew();
        List<Target> watched = targets.all().stream().filter(t -> t.probe() != null).toList();
        List<CompletableFuture<Observer.Seen>> seen = watched.stream()
                .map(t -> CompletableFuture.supplyAsync(auth.propagate(() -> observer.observe(t)), cycles)).toList();
        List<Observer.Seen> observations = seen.stream().map(CompletableFuture::join).toList();
        boolean isolated = isolated(observations);
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < watched.size(); i++) {
            reports.add(decide(watched.get(i), observations.get(i), () -> isolated));
        }
        return reports;
    }

    /** One target, as its own schedule fires it; isolation is judged on every target's latest view. */
    public Report check(Target target) {
        Observer.Seen seen = observer.observe(target);
        // Judged over every target's latest view, which costs O(targets): only when the policy would act.
        return decide(target, seen, () -> isolated(observer.latest().values()));
    }

    /**
     * Maintenance: no automatic action on the target until resumed or until the pause runs out. Manual calls still
     * work (CONTRACT §4). Only the pause fields are written, so it holds whichever replica serves it and whatever the
     * leader saves meanwhile. Journaled with who paused, and notified.
     */
    public Pause pause(Target target, String by, String reason, Instant until) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Pause pause = new Pause(by, reason, now, until, null);
        states.setPause(target.name(), pause);
        controls.record(now, target.name(), "pause", by, reason, until == null ? "until resumed" : "until " + until);
        outbox.enqueue(events.forTarget(Events.TARGET_PAUSED, target.name(), pauseData(target, pause, reason)));
        LOG.infof("paused target=%s by=%s until=%s reason=%s", target.name(), by, until, reason);
        return pause;
    }

    public void resume(Target target, String by, String reason) {
        Pause was = states.state(target.name()).pause();
        states.setPause(target.name(), null);
        if (was != null) {
            controls.record(clock.instant(), target.name(), "resume", by, reason, "paused by " + was.by() + " since "
                    + was.at());
            outbox.enqueue(events.forTarget(Events.TARGET_RESUMED, target.name(), pauseData(target, was,
                    "resumed by " + by + (reason == null ? "" : ": " + reason))));
        }
        LOG.infof("resumed target=%s by=%s", target.name(), by);
    }

    /**
     * A pause that ran out is ended (once, whichever replica leads: a compare and set on its start), journaled and
     * notified; an old one raises a reminder once per reminder period. Returns the state the policy decides on.
     */
    private TargetState reviewPause(Target target, TargetState state, Instant now) {
        Pause pause = state.pause();
        Optional<Pauses.Review> due = Pauses.review(pause, config.check().pauseReminder(), now);
        if (due.isEmpty()) {
            return state;
        }
        String reason = due.get().reason();
        if (due.get().due() == Pauses.Due.EXPIRED) {
            if (states.endPause(target.name(), pause.at())) {
                controls.record(now, target.name(), "pause-expired", ControlJournal.CHECKER, reason, null);
                outbox.enqueue(events.forTarget(Events.TARGET_RESUMED, target.name(), pauseData(target, pause,
                        reason)));
                LOG.infof("target=%s: %s", target.name(), reason);
            }
            return state.resumed();
        }
        if (states.markReminded(target.name(), pause.at(), now)) {
            outbox.enqueue(events.forTarget(Events.TARGET_PAUSE_REMINDER, target.name(), pauseData(target, pause,
                    reason)));
            LOG.warnf("target=%s: %s", target.name(), reason);
        }
        return state.paused(pause.remindedAt(now));
    }

    private Map<String, Object> pauseData(Target target, Pause pause, String reason) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("target", target.name());
        m.put("pausedBy", pause.by());
        m.put("pausedAt", pause.at());
        m.put("until", pause.until());
        m.put("pauseReason", pause.reason());
        m.put("reason", reason);
        return m;
    }

    /** When each target was last evaluated (readiness). */
    public Map<String, Instant> lastChecked() {
        return Map.copyOf(lastChecked);
    }

    /**
     * Isolation is about reachability: a cloud that answered, whatever it said, proves the network works; only a
     * status API that could not be asked counts as failed (Observation hides that, so it is restored here). A probe
     * the checker did not run or finish counts as failed too: the checker's overload is its own view failing.
     */
    public static boolean isolated(java.util.Collection<Observer.Seen> seen) {
        ProbeResult missed = ProbeResult.down("probe did not run", Duration.ZERO);
        List<Observation> all = seen.stream().map(s -> {
            Observation o = s.observation();
            ProbeResult cloud = s.cloudApiFailed() ? ProbeResult.down("cloud status API failed", Duration.ZERO)
                    : o.cloud() != null ? ProbeResult.up("cloud answered", Duration.ZERO)
                    : s.complete() ? null : missed;
            return new Observation(o.at(), o.dataPlane() != null || s.complete() ? o.dataPlane() : missed, cloud,
                    o.standby());
        }).toList();
        return Policy.isolated(all);
    }

    /** Why the checker cannot trust this view of the target, or null when it can. */
    private CycleContext doubt(Observer.Seen seen, java.util.function.BooleanSupplier isolated) {
        if (!seen.complete()) {
            return new CycleContext(config.dryRun(), true, "the checker's own probes did not all run this cycle ("
                    + String.join("; ", seen.notRun()) + "): it cannot trust its own view");
        }
        return isolated.getAsBoolean() ? new CycleContext(config.dryRun(), true) : null;
    }

    /**
     * A switchover journaled since the state's last action (manual or automatic, on any replica) may have traded
     * the roles: it starts the cooldown and clears the streaks, so failures of the old primary are not counted
     * against the new one and an automatic action never undoes the operator's (CONTRACT §3).
     */
    private TargetState afterSwitchovers(Target target, TargetState state) {
        for (Action a : journal.list(target.name(), RECENT_ACTIONS)) {
            if (state.lastActionAt() != null && !a.startedAt().isAfter(state.lastActionAt())) {
                break;
            }
            if (MAY_HAVE_SWITCHED.contains(a.status()) && !a.dryRun()) {
                LOG.infof("target=%s: %s %s %s at %s starts the cooldown and clears the failure streak", target.name(),
                        a.trigger(), a.action(), a.status(), a.startedAt());
                return state.withLastActionAt(a.startedAt()).withStreaks(0, 0, 0);
            }
        }
        return state;
    }

    /**
     * At most one counted probe per interval; a quarter of it is left for the scheduler's jitter. A last count in
     * the future is another replica's clock, not a burst: it does not hold this one back.
     */
    private static boolean counted(Target target, Instant lastCounted, Instant at) {
        if (lastCounted == null) {
            return true;
        }
        Duration since = Duration.between(lastCounted, at);
        Duration interval = target.probe().interval();
        return since.isNegative() || since.compareTo(interval.minus(interval.dividedBy(4))) >= 0;
    }

    private Report decide(Target target, Observer.Seen seen, java.util.function.BooleanSupplier isolated) {
        ReentrantLock lock = locks.computeIfAbsent(target.name(), k -> new ReentrantLock());
        lock.lock();
        try {
            return decideLocked(target, seen, isolated);
        } finally {
            lock.unlock();
        }
    }

    private Report decideLocked(Target target, Observer.Seen seen, java.util.function.BooleanSupplier isolated) {
        Instant now = clock.instant();
        Observation obs = seen.observation();
        // One reading: the term that decides this replica leads is the one its action carries as the fence.
        Optional<io.switchguard.store.Lease> term = keeper.leadership();
        boolean leader = term.isPresent();
        StateStore.Saved loaded = states.load(target.name()).orElse(new StateStore.Saved(TargetState.initial(), null, null));
        StateStore.Saved saved = leader ? new StateStore.Saved(reviewPause(target, loaded.state(), now),
                loaded.lastProbeAt(), loaded.lastDecision()) : loaded;
        if (leader && !counted(target, saved.lastProbeAt(), obs.at())) {
            // /check, /invoke and the schedule may all fire within one interval: a sub-second blip seen three
            // times is still one failed probe.
            Decision notCounted = new Decision(Diagnosis.NOT_COUNTED, Verdict.NONE,
                    "not counted: the last counted probe ran " + Duration.between(saved.lastProbeAt(), obs.at())
                            .toMillis() + " ms ago, within the probe interval " + target.probe().interval(),
                    !saved.state().healthy(), false, null);
            return new Report(target.name(), now, true, signals(seen), notCounted, null, null);
        }
        TargetState before = leader ? afterSwitchovers(target, saved.state()) : saved.state();
        String distrust = leader ? distrust(target, saved.lastProbeAt(), obs.at(), term.get().epoch()) : null;
        String unready = leader ? preflight.unready(target).orElse(null) : null;
        CycleContext ctx = new CycleContext(config.dryRun(), false).withDistrust(distrust).withUnready(unready);
        Evaluation evaluation = Policy.evaluate(rules(target), before, obs, ctx, now);
        if (evaluation.decision().verdict().wouldAct()) {
            // The same observation, now knowing the checker may be the one cut off or overloaded: the isolation
            // guard decides.
            CycleContext doubt = doubt(seen, isolated);
            if (doubt != null) {
                ctx = doubt.withDistrust(distrust).withUnready(unready);
                evaluation = Policy.evaluate(rules(target), before, obs, ctx, now);
            }
        }
        if (!leader) {
            // Standby replicas keep probing (their view shows in /check and /status) but only the holder decides.
            LOG.debugf("observe-only target=%s diagnosis=%s (lease held by %s)", target.name(),
                    evaluation.decision().diagnosis(),
                    keeper.lease().map(io.switchguard.store.Lease::holder).orElse("nobody"));
            return new Report(target.name(), now, false, signals(seen), evaluation.decision(), null, null);
        }
        if (!evaluation.decision().verdict().wouldAct() || !budget.enabled()) {
            return conclude(target, seen, term.get(), saved, before, evaluation, now);
        }
        // Counted and started under one lock: two targets failing at once cannot both take the budget's last unit.
        // Only the lease holder acts automatically, so a lock in this JVM is enough.
        budgetLock.lock();
        try {
            List<Budget> left = budget.read(now, target);
            evaluation = Policy.evaluate(rules(target), before, obs, ctx.withBudgets(left), now);
            budget.brakeIfSpent(now, target, left, evaluation.decision());
            return conclude(target, seen, term.get(), saved, before, evaluation, now);
        } finally {
            budgetLock.unlock();
        }
    }

    /**
     * Why this replica should not trust its own timing for this counted probe: the loop ran late since the last
     * counted one, or this is its first of the target since it started or took the lease.
     */
    private String distrust(Target target, Instant lastCounted, Instant at, long epoch) {
        Long before = observedInTerm.put(target.name(), epoch);
        return SelfDistrust.late(lastCounted, at, target.probe().interval(), target.probe().timeout(),
                        config.check().cyclePeriod().orElse(null))
                .or(() -> SelfDistrust.warmingUp(before, epoch)).orElse(null);
    }

    /** The leader's part: act or journal the refusal, notify a change of health, save, log once. */
    private Report conclude(Target target, Observer.Seen seen, io.switchguard.store.Lease term, StateStore.Saved saved,
            TargetState before, Evaluation evaluation, Instant now) {
        Observation obs = seen.observation();
        TargetState next = evaluation.next();
        Decision decision = evaluation.decision();
        if (target.approval() != null) {
            // auto: approve: a decision to act asks an operator; a deadline passed may turn it into an action.
            decision = approvals.review(target, decision, signals(seen), obs.at(), next.breaches(), now);
        }
        Action action = null;
        if (decision.verdict() == Verdict.SWITCHOVER) {
            // Recorded before the call: a crash or restart mid-action must never act twice inside the cooldown.
            next = next.withLastActionAt(now);
            states.saveCheck(target.name(), new StateStore.Saved(next, obs.at(), describe(decision, null)));
            action = switchover.switchover(new SwitchoverRequest(target.name(), target.kind().action(), "auto",
                    decision.reason(), null, false, config.dryRun(), target.mode(), term, obs.at()))
                    .journaled().orElse(null);
        } else if (decision.verdict() == Verdict.REJECTED && newRejection(saved.lastDecision(), decision)) {
            action = switchover.reject(target, "auto", decision.reason(), decision.guard());
        }
        if (decision.stateChanged()) {
            String type = next.healthy() ? Events.TARGET_RECOVERED : Events.TARGET_UNHEALTHY;
            outbox.enqueue(events.forTarget(type, target.name(), Map.of("target", target.name(),
                    "diagnosis", decision.diagnosis().name(), "reason", decision.reason(),
                    "signals", signals(seen))));
        }
        states.saveCheck(target.name(), new StateStore.Saved(next, obs.at(), describe(decision, action)));
        lastChecked.put(target.name(), now);
        record(target, obs, before, next);
        LOG.infof("check target=%s diagnosis=%s verdict=%s reason=%s%s", target.name(), decision.diagnosis(),
                decision.verdict(), decision.reason(), action != null ? " action=" + action.actionId() + " status="
                        + action.status() : "");
        return new Report(target.name(), now, true, signals(seen), decision, action != null ? action.actionId() : null,
                action != null ? action.status().name() : null);
    }

    /** A guard's no is journaled once per episode, not every cycle it keeps saying no. */
    private boolean newRejection(String lastDecision, Decision decision) {
        if (lastDecision == null) {
            return true;
        }
        try {
            var last = mapper.readTree(lastDecision);
            return !("REJECTED".equals(last.path("verdict").asText())
                    && String.valueOf(decision.guard()).equals(last.path("guard").asText()));
        } catch (Exception e) {
            return true;
        }
    }

    private String describe(Decision decision, Action action) {
        var node = mapper.createObjectNode();
        node.put("at", clock.instant().toString());
        node.put("diagnosis", decision.diagnosis().name());
        node.put("verdict", decision.verdict().name());
        node.put("reason", decision.reason());
        node.put("guard", decision.guard());
        node.put("breach", decision.breach());
        if (action != null) {
            node.put("actionId", action.actionId());
            node.put("actionStatus", action.status().name());
        }
        return node.toString();
    }

    private static Signals signals(Observer.Seen seen) {
        Observation o = seen.observation();
        return new Signals(o.dataPlane(), o.cloud(), o.standby(), seen.cloudApiFailed(), seen.notRun());
    }

    public static Rules rules(Target t) {
        ProbeSpec p = t.probe();
        return new Rules(p.failureThreshold(), p.recoveryThreshold(), p.maxLagBytes(), p.maxLag(), t.cooldown(),
                t.maxDataLoss(), t.auto(), t.approval() != null);
    }

    private void record(Target target, Observation obs, TargetState before, TargetState next) {
        ProbeResult primary = obs.dataPlane() != null ? obs.dataPlane() : obs.cloud();
        if (primary != null) {
            metrics.counter("switchguard_probe_total", "target", target.name(), "result",
                    primary.health().name().toLowerCase(java.util.Locale.ROOT)).increment();
            Timer.builder("switchguard_probe_duration_seconds").tag("target", target.name()).register(metrics)
                    .record(primary.latency());
        }
        gauge("switchguard_target_healthy", healthy, target.name()).set(next.healthy() ? 1 : 0);
        Long bytes = obs.dataPlane() != null ? obs.dataPlane().lagBytes() : null;
        Duration seconds = obs.cloud() != null ? obs.cloud().lag() : null;
        if (bytes != null || seconds != null) {
            gauge("switchguard_replication_lag", lag, target.name()).set(bytes != null ? bytes : seconds.toSeconds());
        }
        if (next.breaches() > before.breaches()) {
            metrics.counter("switchguard_breach_total", "target", target.name()).increment();
        }
    }

    private AtomicLong gauge(String name, Map<String, AtomicLong> holders, String target) {
        return holders.computeIfAbsent(target, k -> metrics.gauge(name,
                List.of(io.micrometer.core.instrument.Tag.of("target", k)), new AtomicLong()));
    }
}
