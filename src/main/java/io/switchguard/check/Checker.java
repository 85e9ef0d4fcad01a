package io.switchguard.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
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
import io.switchguard.policy.Policy;
import io.switchguard.policy.Rules;
import io.switchguard.policy.SelfDistrust;
import io.switchguard.policy.TargetState;
import io.switchguard.policy.Verdict;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.RedisProbe;
import io.switchguard.store.ActionStore;
import io.switchguard.store.Lease;
import io.switchguard.store.OutboxStore;
import io.switchguard.store.ShardKeeper;
import io.switchguard.switchover.SwitchoverRequest;
import io.switchguard.switchover.SwitchoverService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
    /** leader false: this replica does not own the target's shard; it only observed (or skipped), nothing saved or done. */
    public record Report(String target, Instant at, boolean leader, Signals signals, Decision decision, String actionId,
            String actionStatus) {}

    /**
     * The observation as /check and /status show it; notRun names the probes this cycle did not run or finish
     * (the checker's own trouble, no signal).
     */
    public record Signals(ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby, boolean cloudApiFailed,
            List<String> notRun) {}

    /**
     * How much later than the recorded last action a journaled switchover must be to be another one: the entry of
     * this checker's own decision is journaled just after it, and its time here, measured from the database's
     * clock, differs by the time between the two reads. A swap within it of the last one starts no second cooldown.
     */
    private static final Duration SAME_SWITCHOVER = Duration.ofSeconds(1);
    /** Journal entries read back to tell whether the decision recorded as the last action sent anything. */
    private static final int RECENT_ACTIONS = 5;

    private final Targets targets;
    private final ShardKeeper shards;
    private final CloudAuth auth;
    private final Observer observer;
    private final StateStore states;
    private final SwitchoverService switchover;
    private final ActionStore journal;
    private final OutboxStore outbox;
    private final FailoverBudget budget;
    private final ApprovalGate approvals;
    private final PreflightGate preflight;
    private final Events events;
    private final SwitchguardConfig config;
    private final TargetPauses pauses;
    private final SavedDecisions decisions;
    private final TargetMeters meters;
    private final Clock clock;
    /** One batch of decisions at a time: its state is read in one go and written in one transaction. */
    private final ReentrantLock batchLock = new ReentrantLock();
    /** Targets whose automatic switchover is running: their observations meanwhile are not counted. */
    private final java.util.Set<String> acting = ConcurrentHashMap.newKeySet();
    /** Scheduled observations waiting for the next batch. */
    private final DecisionQueue<Pending> queue;
    /** Batches and switchovers block on the store and the cloud: workers of their own, never the event loop. */
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "check-decide");
        t.setDaemon(true);
        return t;
    });
    /** Per target, the start of the last counted probe this replica saw (the store has it only when state changed). */
    private final Map<String, Instant> lastCounted = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();
    /** Per target, the shard term in which this replica last counted a probe of it (warm-up, in memory on purpose). */
    private final Map<String, Long> observedInTerm = new ConcurrentHashMap<>();

    public Checker(Targets targets, ShardKeeper shards, CloudAuth auth, Observer observer, StateStore states, SwitchoverService switchover,
            ActionStore journal, OutboxStore outbox, ControlJournal controls, FailoverBudget budget, ApprovalGate approvals,
            PreflightGate preflight, Events events, SwitchguardConfig config, MeterRegistry metrics, ObjectMapper mapper, Clock clock) {
        this.targets = targets;
        this.shards = shards;
        this.auth = auth;
        this.observer = observer;
        this.states = states;
        this.switchover = switchover;
        this.journal = journal;
        this.outbox = outbox;
        this.budget = budget;
        this.approvals = approvals;
        this.preflight = preflight;
        this.events = events;
        this.config = config;
        this.pauses = new TargetPauses(states, controls, outbox, events, config, clock);
        this.decisions = new SavedDecisions(mapper, clock);
        this.meters = new TargetMeters(metrics);
        this.clock = clock;
        this.queue = new DecisionQueue<>(work -> workers.execute(auth.propagate(work)),
                batch -> decideBatch(batch, () -> isolated(observer.views()), false));
    }

    /** An observation waiting for its decision; immediate: evidence that may not wait for the interval. */
    record Pending(Target target, Observer.Seen seen, boolean immediate, Runnable decided) {
        Pending(Target target, Observer.Seen seen, boolean immediate) {
            this(target, seen, immediate, () -> {});
        }
    }

    /** Every watched target once, synchronously, in one batch: the /check function and the FaaS timer. */
    public List<Report> cycle() {
        // A FaaS instance may have been frozen since its last invocation: ask the store which shards it owns now.
        shards.renew();
        List<Target> watched = targets.all().stream().filter(t -> t.probe() != null).toList();
        List<CompletableFuture<Observer.Seen>> seen = watched.stream().map(observer::observeAsync).toList();
        List<Pending> batch = new ArrayList<>();
        for (int i = 0; i < watched.size(); i++) {
            batch.add(new Pending(watched.get(i), seen.get(i).join(), false));
        }
        List<Observer.Seen> observations = batch.stream().map(Pending::seen).toList();
        return decideBatch(batch, () -> isolated(observations), true);
    }

    /**
     * Whether a scheduled check of the target is skipped here: its shard is another replica's, whose schedule probes
     * it, so 10,000 targets on three replicas cost each a third. The skipped tick still counts for liveness, which
     * asks whether this replica's loop is stuck, not whether it owns the target.
     */
    public boolean notOwnedHere(String target) {
        if (shards.owns(target)) {
            return false;
        }
        lastChecked.put(target, clock.instant());
        return true;
    }

    /** One target now, synchronously; isolation is judged on every target's latest view. */
    public Report check(Target target) {
        if (notOwnedHere(target.name())) {
            Instant now = clock.instant();
            return new Report(target.name(), now, false, null, new Decision(Diagnosis.NO_SIGNAL,
                    Verdict.NONE, "not probed here: shard " + shards.shardOf(target.name()) + " is another replica's",
                    false, false, null), null, null);
        }
        Observer.Seen seen = observer.observe(target);
        return decideBatch(List.of(new Pending(target, seen, false)), () -> isolated(observer.views()), true)
                .get(0);
    }

    /**
     * A scheduled observation: decided in the next batch, with whatever else finished meanwhile. Returns at once;
     * {@code decided} runs once the batch is decided and written, whether or not that worked; a switchover it leads
     * to runs on a worker.
     */
    public void submit(Target target, Observer.Seen seen, boolean immediate, Runnable decided) {
        queue.add(new Pending(target, seen, immediate, decided));
    }

    /** Whether the target's automatic switchover is running (its schedule need not probe meanwhile). */
    public boolean acting(String target) {
        return acting.contains(target);
    }

    /**
     * Maintenance: no automatic action on the target until resumed or until the pause runs out. Manual calls still
     * work (CONTRACT §4).
     */
    public Pause pause(Target target, String by, String reason, Instant until) {
        return pauses.pause(target, by, reason, until);
    }

    public void resume(Target target, String by, String reason) {
        pauses.resume(target, by, reason);
    }

    /**
     * When the target was last evaluated (liveness, the staleness gauge), or {@code otherwise}. One lookup: asked
     * for every target on each scrape and health call, a copy of the whole map per target was quadratic (at 10,000
     * targets a /q/metrics scrape did not answer within 30 s).
     */
    public Instant lastChecked(String target, Instant otherwise) {
        return lastChecked.getOrDefault(target, otherwise);
    }

    /**
     * Isolation is about reachability: a cloud that answered, whatever it said, proves the network works; only a
     * status API that could not be asked counts as failed (Observation hides that, so it is restored here). A probe
     * the checker did not run or finish counts as failed too: the checker's overload is its own view failing.
     */
    public static boolean isolated(java.util.Collection<Observer.Seen> seen) {
        // Asked once per batch over every target's latest view: a target that answered settles it at once, so a
        // healthy fleet of 10,000 costs one view, not 10,000 restored copies a batch.
        ProbeResult missed = ProbeResult.down("probe did not run", Duration.ZERO);
        List<Observation> all = new ArrayList<>();
        for (Observer.Seen s : seen) {
            Observation o = s.observation();
            ProbeResult cloud = s.cloudApiFailed() ? ProbeResult.down("cloud status API failed", Duration.ZERO)
                    : o.cloud() != null ? ProbeResult.up("cloud answered", Duration.ZERO)
                    : s.complete() ? null : missed;
            Observation restored = new Observation(o.at(), o.dataPlane() != null || s.complete() ? o.dataPlane()
                    : missed, cloud, o.standby());
            if (Policy.reachable(restored)) {
                return false;
            }
            all.add(restored);
        }
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
        Instant anchor = state.lastActionAt();
        // The newest one, however many entries came after it: read among the newest five, five dry runs or
        // refusals after an operator's swap hid it, and the breach swapped the roles back inside its cooldown.
        // Its time is when the store journaled it, on this replica's clock (the one the cooldown is measured by):
        // its started_at is the clock of the replica that journaled it, and a swap back on a replica whose clock
        // ran behind looked older than the automatic swap it undid.
        Optional<ActionStore.Switched> last = journal.lastSwitchover(target.name());
        Instant at = last.map(s -> clock.instant().minus(s.ago())).orElse(null);
        if (at != null && (anchor == null || at.isAfter(anchor.plus(SAME_SWITCHOVER)))) {
            Action a = last.get().action();
            LOG.infof("target=%s: %s %s %s journaled at %s starts the cooldown and clears the failure streak",
                    target.name(), a.trigger(), a.action(), a.status(), at);
            return state.withLastActionAt(at).withStreaks(0, 0, 0);
        }
        if (anchor == null || at != null && !at.isBefore(anchor.minus(SAME_SWITCHOVER))) {
            return state; // the recorded last action is that switchover (or the decision whose entry it is)
        }
        // No switchover since the recorded decision: did that decision send anything?
        return unanchored(target, state, journal.list(target.name(), RECENT_ACTIONS), at);
    }

    /**
     * The checker records its decision's time as the last action before it journals the switchover, so a crash
     * mid-action never acts twice inside the cooldown. But a process that stopped (or lost its store) before its
     * call sent nothing: reconciliation ended its entry FAILED "not sent", or it never reached the journal at all.
     * Such a decision starts no cooldown (issue #11 item 2): when the journal reaches back past the recorded time
     * and shows nothing since but the policy's refusals and calls never sent, the last action is the newest
     * switchover before it (a dry run, a call the cloud refused, and a refusal because of another switchover keep
     * the recorded time). The entry of this checker's own decision starts at or after the recorded time by the
     * same clock; while the decision is still on its way to the journal the target is {@link #acting}, and no
     * cycle reads this.
     */
    private static TargetState unanchored(Target target, TargetState state, List<Action> recent, Instant previous) {
        Instant anchor = state.lastActionAt();
        boolean reachesPast = recent.size() < RECENT_ACTIONS
                || recent.get(recent.size() - 1).startedAt().isBefore(anchor);
        if (!reachesPast) {
            return state;
        }
        for (Action a : recent) {
            if (a.startedAt().isBefore(anchor)) {
                break; // newest first: what follows came before the decision
            }
            // Sent nothing, with no switchover behind it: a decision fenced off or never sent, or the policy's own
            // refusal. A refusal for another switchover (SG.4090 in flight, SG.4094 newer) keeps the cooldown, as a
            // call the cloud refused does (it reached the cloud: its retries are spaced too).
            boolean sentNothing = notSent(a)
                    || a.status() == ActionStatus.REJECTED && "SG.4091".equals(a.errorCode());
            if (!sentNothing) {
                return state;
            }
        }
        LOG.infof("target=%s: nothing since the decision of %s was sent; it starts no cooldown", target.name(), anchor);
        return state.withLastActionAt(previous);
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
        // Not dividedBy: it computes in BigDecimal, on every probe of every target.
        return since.isNegative() || since.compareTo(interval.minusNanos(interval.toNanos() / 4)) >= 0;
    }

    /**
     * A decision taken in a batch: its report, and the switchover to run once the batch is written (ctx set), with the
     * shard term that decided it: its fence.
     */
    private record Decided(Report report, Target target, Observer.Seen seen, StateStore.Saved saved, TargetState before,
            CycleContext ctx, Lease term) {
        Decided(Report report, Target target, Observer.Seen seen, StateStore.Saved saved, TargetState before,
                CycleContext ctx) {
            this(report, target, seen, saved, before, ctx, null);
        }
    }

    /**
     * Decides a batch: the rows of its targets read in one go, every decision taken, the changed states written in
     * one transaction (none when nothing changed), then the switchovers decided, each taking its unit of the
     * failover budgets, inline for a synchronous caller or on a worker for the schedule.
     */
    private List<Report> decideBatch(List<Pending> batch, java.util.function.BooleanSupplier isolated, boolean inline) {
        java.util.function.BooleanSupplier once = memoized(isolated);
        List<Decided> decided = new ArrayList<>();
        batchLock.lock();
        try {
            Instant now = clock.instant();
            Map<String, StateStore.Saved> rows = states.loadAll(batch.stream().map(p -> p.target().name()).toList());
            Map<String, StateStore.Saved> changed = new java.util.LinkedHashMap<>();
            for (Pending p : batch) {
                StateStore.Saved loaded = rows.getOrDefault(p.target().name(),
                        new StateStore.Saved(TargetState.initial(), null, null));
                // The shard is held for the decision, and its term read once: the term that decides this replica
                // acts is the one its action carries as the fence.
                try (ShardKeeper.Turn turn = shards.turn(p.target().name())) {
                    decided.add(decideOne(p, loaded, turn.term(), once, now, changed));
                }
            }
            states.saveChecks(changed);
        } finally {
            batchLock.unlock();
            batch.forEach(p -> p.decided().run());
        }
        List<Report> reports = new ArrayList<>();
        for (Decided d : decided) {
            if (d.ctx() == null) {
                reports.add(d.report());
            } else if (inline) {
                reports.add(act(d));
            } else {
                reports.add(d.report());
                workers.execute(auth.propagate(() -> {
                    act(d);
                }));
            }
        }
        return reports;
    }

    private static java.util.function.BooleanSupplier memoized(java.util.function.BooleanSupplier supplier) {
        Boolean[] value = {null};
        return () -> value[0] != null ? value[0] : (value[0] = supplier.getAsBoolean());
    }

    private Decided decideOne(Pending pending, StateStore.Saved loaded, Optional<Lease> term,
            java.util.function.BooleanSupplier isolated, Instant now, Map<String, StateStore.Saved> changed) {
        Target target = pending.target();
        Observer.Seen seen = pending.seen();
        Observation obs = seen.observation();
        boolean leader = term.isPresent();
        Instant last = latest(lastCounted.get(target.name()), loaded.lastProbeAt());
        StateStore.Saved saved = leader ? new StateStore.Saved(pauses.review(target, loaded.state(), now), last,
                loaded.lastDecision()) : loaded;
        if (leader && acting.contains(target.name())) {
            meters.notCounted("acting");
            Decision busy = new Decision(Diagnosis.NOT_COUNTED, Verdict.NONE, "not counted: an automatic switchover of"
                    + " the target is in progress", !saved.state().healthy(), false, null);
            return new Decided(new Report(target.name(), now, true, signals(seen), busy, null, null), target, seen,
                    saved, saved.state(), null);
        }
        if (leader && !pending.immediate() && !counted(target, last, obs.at())) {
            // /check, /invoke and the schedule may all fire within one interval: a sub-second blip seen three
            // times is still one failed probe.
            meters.notCounted("interval");
            Decision notCounted = new Decision(Diagnosis.NOT_COUNTED, Verdict.NONE,
                    "not counted: the last counted probe ran " + Duration.between(last, obs.at())
                            .toMillis() + " ms ago, within the probe interval " + target.probe().interval(),
                    !saved.state().healthy(), false, null);
            return new Decided(new Report(target.name(), now, true, signals(seen), notCounted, null, null), target,
                    seen, saved, saved.state(), null);
        }
        // The journal matters only to a target with a streak or a failing probe: for a quiet one a newer switchover
        // changes nothing now, and is found the moment it starts to fail.
        boolean quiet = quiet(saved.state(), obs);
        TargetState before = leader && !quiet ? reconnected(target, obs, afterSwitchovers(target, saved.state()))
                : saved.state();
        String distrust = leader ? distrust(target, last, obs.at(), term.get().epoch()) : null;
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
            // /check probes every target (its view shows there) but only the owner of the target's shard decides.
            LOG.debugf("observe-only target=%s diagnosis=%s (shard %d is not this replica's)", target.name(),
                    evaluation.decision().diagnosis(), shards.shardOf(target.name()));
            return new Decided(new Report(target.name(), now, false, signals(seen), evaluation.decision(), null, null),
                    target, seen, saved, before, null);
        }
        lastCounted.put(target.name(), obs.at());
        if (evaluation.decision().verdict().wouldAct()) {
            // Taken out of the batch: the budget is checked and the switchover started after the batch is
            // written. Until it ends the target's observations are not counted.
            acting.add(target.name());
            return new Decided(new Report(target.name(), now, true, signals(seen), evaluation.decision(), null, null),
                    target, seen, saved, before, ctx, term.get());
        }
        return new Decided(conclude(target, seen, term.get(), saved, before, evaluation, now, changed, null), target,
                seen,
                saved, before, null);
    }

    /**
     * Fast mode: a reconnect that works ends the failure streak, so a connection lost now and then (a client
     * kill, a restart blip) never adds up to a breach; only failed probes with no working reconnect between do.
     */
    private static TargetState reconnected(Target target, Observation obs, TargetState state) {
        ProbeResult dp = obs.dataPlane();
        boolean reconnect = target.probe().fast() && dp != null && dp.up() && dp.detail().endsWith(RedisProbe.RECONNECTED);
        return reconnect && state.failures() > 0 ? state.withStreaks(0, state.lagBreaches(), state.successes()) : state;
    }

    /** A target with nothing going on: healthy, no streak, its primary signal up. */
    private static boolean quiet(TargetState state, Observation obs) {
        ProbeResult primary = obs.dataPlane() != null ? obs.dataPlane() : obs.cloud();
        return state.healthy() && state.failures() == 0 && state.lagBreaches() == 0 && primary != null && primary.up();
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** The switchover a batch decided: checked against the budgets, started, then saved on its own. */
    private Report act(Decided d) {
        Target target = d.target();
        // The shard is held until the switchover's synchronous part is over, so it is never given up meanwhile; its
        // term is read again here, on the thread that acts (the batch's hold ended with the batch), and must still be
        // the term that decided: one that lapsed and was taken again (the replica stalled past its TTL, another may
        // have owned the shard meanwhile) is a new term, whose own observations decide, after its warm-up.
        try (ShardKeeper.Turn turn = shards.turn(target.name())) {
            Instant now = clock.instant();
            Optional<Lease> term = turn.term().filter(t -> t.epoch() == d.term().epoch());
            if (term.isEmpty()) {
                Decision lost = new Decision(Diagnosis.NOT_COUNTED, Verdict.NONE, "not acted on: this replica no longer"
                        + " holds the term " + d.term().epoch() + " of the target's shard " + turn.shard()
                        + " that decided", !d.before().healthy(), false, null);
                return new Report(target.name(), now, false, signals(d.seen()), lost, null, null);
            }
            Observation obs = d.seen().observation();
            Evaluation evaluation = Policy.evaluate(rules(target), d.before(), obs, d.ctx(), now);
            if (!evaluation.decision().verdict().wouldAct() || !budget.enabled()) {
                return conclude(target, d.seen(), term.get(), d.saved(), d.before(), evaluation, now, null, null);
            }
            // A budget already spent refuses here; the unit itself is taken just before the call (conclude).
            List<Budget> left = budget.read(now, target);
            evaluation = Policy.evaluate(rules(target), d.before(), obs, d.ctx().withBudgets(left), now);
            budget.brakeIfSpent(now, target, left, evaluation.decision());
            return conclude(target, d.seen(), term.get(), d.saved(), d.before(), evaluation, now, null, d.ctx());
        } catch (RuntimeException e) {
            LOG.errorf(e, "automatic switchover of %s failed", target.name());
            throw e;
        } finally {
            acting.remove(target.name());
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

    /**
     * The leader's part: act or journal the refusal, notify a change of health, save, log once. In a batch
     * ({@code batch} not null) the state goes into it, and only when it changed; a switchover saves its own.
     * {@code budgeted} not null: a switchover decided here takes a unit of the failover budgets first (the context
     * decides again should they refuse).
     */
    private Report conclude(Target target, Observer.Seen seen, Lease term, StateStore.Saved saved,
            TargetState before, Evaluation evaluation, Instant now, Map<String, StateStore.Saved> batch,
            CycleContext budgeted) {
        Observation obs = seen.observation();
        TargetState next = capped(target, evaluation.next());
        Decision decision = evaluation.decision();
        if (target.approval() != null) {
            // auto: approve: a decision to act asks an operator; a deadline passed may turn it into an action.
            decision = approvals.review(target, decision, signals(seen), obs.at(), next.breaches(), now);
        }
        String unit = null;
        if (decision.verdict() == Verdict.SWITCHOVER && budgeted != null) {
            // Counted and taken in one store transaction that the takes of every replica queue on: two targets
            // failing at once, here or on replicas acting on other shards, cannot both take the last unit.
            FailoverBudget.Take take = budget.take(now, target);
            if (take.taken()) {
                unit = take.unit();
            } else {
                Evaluation refused = Policy.evaluate(rules(target), before, obs, budgeted.withBudgets(take.budgets()),
                        now);
                budget.brakeIfSpent(now, target, take.budgets(), refused.decision());
                next = capped(target, refused.next());
                decision = refused.decision();
            }
        }
        Action action = null;
        if (decision.verdict() == Verdict.SWITCHOVER) {
            TargetState unacted = next;
            // Recorded before the call: a crash or restart mid-action must never act twice inside the cooldown.
            next = next.withLastActionAt(now);
            states.saveCheck(target.name(), new StateStore.Saved(next, obs.at(), decisions.describe(decision, null)));
            action = switchover.switchover(new SwitchoverRequest(target.name(), target.kind().action(), "auto",
                    decision.reason(), null, false, config.dryRun(), target.mode(), term, obs.at(), null))
                    .journaled().orElse(null);
            if (notSent(action)) {
                // Nothing reached the cloud and no other switchover is behind the refusal (issue #11 item 2): no
                // cooldown starts, the breach may act again (whoever holds the shard by then).
                next = unacted;
            }
            if (unit != null && (!attempted(action) || notSent(action))) {
                budget.release(unit);
            }
        } else if (decision.verdict() == Verdict.REJECTED && decisions.newRejection(saved.lastDecision(), decision)) {
            action = switchover.reject(target, "auto", decision.reason(), decision.guard());
        }
        if (decision.stateChanged()) {
            String type = next.healthy() ? Events.TARGET_RECOVERED : Events.TARGET_UNHEALTHY;
            outbox.enqueue(events.forTarget(type, target.name(), Map.of("target", target.name(),
                    "diagnosis", decision.diagnosis().name(), "reason", decision.reason(),
                    "signals", signals(seen))));
        }
        boolean changed = action != null || !next.equals(capped(target, saved.state()))
                || !decisions.same(target.name(), saved.lastDecision(), decision);
        if (batch == null) {
            states.saveCheck(target.name(), new StateStore.Saved(next, obs.at(), decisions.describe(decision, action)));
        } else if (changed) {
            batch.put(target.name(), new StateStore.Saved(next, obs.at(), decisions.describe(decision, action)));
        }
        lastChecked.put(target.name(), now);
        meters.record(target.name(), obs, before, next);
        if (changed) {
            LOG.infof("check target=%s diagnosis=%s verdict=%s reason=%s%s", target.name(), decision.diagnosis(),
                    decision.verdict(), decision.reason(), action != null ? " action=" + action.actionId() + " status="
                            + action.status() : "");
        } else {
            LOG.debugf("check target=%s diagnosis=%s verdict=%s unchanged", target.name(), decision.diagnosis(),
                    decision.verdict());
        }
        return new Report(target.name(), now, true, signals(seen), decision, action != null ? action.actionId() : null,
                action != null ? action.status().name() : null);
    }

    /** A switchover that provably never left: FAILED "not sent" (SG.5030), or fenced off before its call (SG.4093). */
    private static boolean notSent(Action action) {
        return action != null && (action.status() == ActionStatus.FAILED && "SG.5030".equals(action.errorCode())
                || action.status() == ActionStatus.REJECTED && "SG.4093".equals(action.errorCode()));
    }

    /** Whether the switchover counts against the budgets: it reached the journal as an attempt, not a no or a dry run. */
    private static boolean attempted(Action action) {
        return action != null && !action.dryRun() && action.status() != ActionStatus.REJECTED
                && action.status() != ActionStatus.DRY_RUN;
    }

    /**
     * The healthy streak only counts up to the recovery threshold, and a healthy target with no streak is at it:
     * either way the policy decides the same, and a steady target's row stays as it is.
     */
    private static TargetState capped(Target target, TargetState state) {
        int most = Math.max(1, target.probe().recoveryThreshold());
        boolean clear = state.healthy() && state.failures() == 0 && state.lagBreaches() == 0;
        int successes = clear ? most : Math.min(state.successes(), most);
        return successes == state.successes() ? state : state.withStreaks(state.failures(), state.lagBreaches(), successes);
    }

    /** The target's per-target series (metrics/PerTargetSeries); empty before its first decided check. */
    public Optional<TargetMeters.Reading> reading(String target) {
        return meters.reading(target);
    }

    /** The start of the last probe this replica counted of the target (the store's is written only on a change). */
    public Optional<Instant> lastCounted(String target) {
        return Optional.ofNullable(lastCounted.get(target));
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
}
