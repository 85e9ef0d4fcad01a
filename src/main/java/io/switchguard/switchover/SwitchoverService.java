package io.switchguard.switchover;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.store.ActionStore;
import io.switchguard.store.DuplicateRequestIdException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one switchover path, for manual calls, the checker and FaaS alike: resolve the target, idempotency, the
 * guards, the lock and the fence, then the call. One journal transaction per phase on the fast path: before the call
 * (lock, fence, entry; then the fence again right before each attempt, as the snapshot is read under the lock), after
 * the answer, after verification (the outcome, its event and the lock's release together); when the first read of
 * the state verifies the call, the answer goes with the outcome.
 * A call is never resent once it may have left; what it did is read from the cloud's state ({@link Follower}).
 * Refusals are values: nothing here knows HTTP.
 */
@ApplicationScoped
public class SwitchoverService {

    private static final Logger LOG = Logger.getLogger(SwitchoverService.class);
    private static final Duration CONNECT_BACKOFF = Duration.ofMillis(200);

    /**
     * Test seam: runs before the fence check of each cloud call and right after the call (a latch that freezes a
     * leader between its decision and the call, or a store that fails after it).
     */
    interface CallHook {
        CallHook NONE = new CallHook() {};

        default void beforeCall(Action action) {}

        default void afterCall(Action action) {}
    }

    private final Targets targets;
    private final ActionStore store;
    private final ActionJournal journal;
    private final Follower follower;
    private final Drivers drivers;
    private final SwitchguardConfig config;
    private final SafetyGuard guard;
    private final MeterRegistry metrics;
    /** Sync phases running in this process, so a repeated requestId waits for the first answer. */
    private final Map<String, CompletableFuture<Action>> running = new ConcurrentHashMap<>();
    private volatile CallHook hook = CallHook.NONE;
    /** The journal line of a caller that answered before the outcome. */
    static final String ANSWER = "answer";

    public SwitchoverService(Targets targets, ActionStore store, ActionJournal journal, Follower follower,
            Drivers drivers, SwitchguardConfig config, SafetyGuard guard, MeterRegistry metrics) {
        this.targets = targets;
        this.store = store;
        this.journal = journal;
        this.follower = follower;
        this.drivers = drivers;
        this.config = config;
        this.guard = guard;
        this.metrics = metrics;
    }

    void hook(CallHook hook) {
        this.hook = hook == null ? CallHook.NONE : hook;
    }

    public SwitchoverResult switchover(SwitchoverRequest request) {
        Optional<Target> found = targets.find(request.target());
        if (found.isEmpty()) {
            return refused(SwitchoverResult.Refusal.NOT_FOUND, "unknown target '" + request.target() + "'");
        }
        Target target = found.get();
        if (!Drivers.planned(target.kind(), request.action()) && !target.kind().action().equals(request.action())) {
            return refused(SwitchoverResult.Refusal.BAD_REQUEST, "target '" + target.name() + "' is a "
                    + target.kind().id() + " target: use /" + target.kind().action());
        }
        String mode = request.mode() != null ? request.mode() : target.mode();
        if (target.kind() == Kind.DRS && mode == null) {
            return refused(SwitchoverResult.Refusal.BAD_REQUEST, "target '" + target.name()
                    + "' has no configured mode: send mode source or target");
        }
        Optional<SwitchoverResult> first = firstResult(request, target);
        if (first.isPresent()) {
            return first.get();
        }
        boolean dryRun = request.dryRun() || config.dryRun();
        ActionJournal.Entry entry = journal.create(target, request, dryRun);
        try {
            // Only the checker decides on an observation of its own; every other caller (manual, scheduled, drill)
            // gets the manual guards on the state read now.
            if (!SwitchoverRequest.AUTO.equals(request.trigger())) {
                Optional<String> no = guard.beforeManual(target, request.force());
                if (no.isPresent()) {
                    return done(journal.refuse(entry, no.get(), "SG.4091", no.get()));
                }
                journal.step(entry, "guard", request.force() ? "forced: the standby and data-loss guards are bypassed"
                        : "standby and data-loss guards passed");
            } else {
                journal.step(entry, "guard", "the checker's guards passed on the observation of " + request.decidedOn());
            }
            if (dryRun) {
                return done(journal.dryRun(entry, "dry run: would call "
                        + drivers.of(target.kind(), request.action()).describeCall(target, mode)));
            }
            return start(request, target, mode, entry);
        } catch (DuplicateRequestIdException e) {
            // A concurrent caller with the same requestId journaled first: its answer is ours.
            return firstResult(request, target).orElseThrow(() -> e);
        }
    }

    private SwitchoverResult start(SwitchoverRequest request, Target target, String mode, ActionJournal.Entry entry) {
        Duration lockTtl = TargetLock.ttl(config);
        journal.step(entry, "lock", "target lock for " + lockTtl.toSeconds() + "s, kept until the outcome");
        journal.step(entry, "fence", request.lease() != null ? "lease epoch " + request.lease().epoch() + " of "
                + request.lease().holder() + ", checked with the lock before each call" : "the lock, checked before each call");
        switch (journal.open(entry, lockTtl, request.lease(), request.decidedOn())) {
            case LOCKED -> {
                // Lost to a caller with the same requestId? Then its answer is ours.
                Optional<SwitchoverResult> first = firstResult(request, target);
                if (first.isPresent()) {
                    return first.get();
                }
                String why = "another switchover is in flight on " + target.name();
                return done(journal.refuse(entry, why, "SG.4090", why));
            }
            case DUPLICATE -> {
                return firstResult(request, target).orElseThrow(() -> new DuplicateRequestIdException(request.requestId()));
            }
            case FENCED -> {
                // Not journaled: a replica that lost its term writes nothing, not even a refusal.
                LOG.warnf("automatic %s on %s fenced off: lease epoch %d is no longer current", target.kind().action(),
                        target.name(), request.lease().epoch());
                return new SwitchoverResult.Journaled(fencedAnswer(entry.action(), request));
            }
            case UNREAD -> {
                String unread = store.unfinished().stream().filter(a -> a.target().equals(target.name()))
                        .map(a -> "switchover " + a.actionId() + " (" + a.status() + "/" + a.verification() + ")")
                        .findFirst().orElse("an earlier switchover");
                String why = unread + " on " + target.name() + " called the cloud and its outcome is not read yet:"
                        + " reconciliation reads it at the leader's next lease renewal, or POST /resolve records it";
                return done(journal.refuse(entry, why, "SG.4090", why));
            }
            case SUPERSEDED -> {
                String why = "a newer switchover happened since this decision (observation of "
                        + request.decidedOn() + ")";
                return done(journal.refuse(entry, why, "SG.4094", why));
            }
            case STARTED -> {
                // below
            }
        }
        CompletableFuture<Action> answer = new CompletableFuture<>();
        running.put(entry.action().actionId(), answer);
        Phase phase = new Phase(entry.action(), false);
        try {
            phase = perform(request, target, mode, entry);
            answer.complete(phase.action());
            log(phase.action());
            return new SwitchoverResult.Journaled(phase.action());
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(entry.action().actionId());
            // An outcome gave the lock back with its own write; only a phase cut short by a failure still holds it.
            if (!phase.keepLock() && !phase.action().finished()) {
                store.unlock(target.name(), entry.action().actionId());
            }
        }
    }

    /** The sync phase's result, and whether the lock stays (a follower owns it, or only its expiry may end it). */
    private record Phase(Action action, boolean keepLock) {}

    private Phase perform(SwitchoverRequest request, Target target, String mode, ActionJournal.Entry entry) {
        KindDriver driver = drivers.of(target.kind(), request.action());
        KindDriver.Snapshot before = driver.snapshot(target);
        for (int read = 2; read <= TargetLock.SNAPSHOT_READS && !before.known() && before.reread(); read++) {
            // Without the roles before, no answer can be checked against the state: a 502 behind which the swap
            // ran would stay UNKNOWN, a 204 SUCCEEDED unverified. One failed read (a timeout, a 5xx) is read again;
            // a 4xx, or an answer without the roles, would say the same again.
            journal.step(entry, "snapshot", before.detail() + "; reading again");
            sleep(CONNECT_BACKOFF);
            before = driver.snapshot(target);
        }
        journal.step(entry, "snapshot", before.detail());
        if (before.known()) {
            journal.step(entry, Follower.STATE_BEFORE, before.state());
        }
        CloudResponse response = null;
        for (int attempt = 1; attempt <= TargetLock.CONNECT_ATTEMPTS; attempt++) {
            journal.step(entry, "call", "attempt " + attempt + ": " + driver.describeCall(target, mode));
            hook.beforeCall(entry.action());
            // However long this replica stalled since its decision, the store says now whether it may still call.
            ActionStore.Held held = journal.beforeCall(entry, TargetLock.ttl(config), request.lease());
            if (held != ActionStore.Held.HELD) {
                return fenced(entry, target, held, attempt);
            }
            response = driver.call(target, mode);
            if (!(response instanceof CloudResponse.NotSent) || attempt == TargetLock.CONNECT_ATTEMPTS) {
                break;
            }
            journal.step(entry, "call.result", describe(response));
            sleep(CONNECT_BACKOFF.multipliedBy(attempt));
        }
        try {
            hook.afterCall(entry.action());
            return answered(target, entry, before, response);
        } catch (RuntimeException e) {
            // The call may have run: the lock stays until its expiry, then reconciliation reads what happened.
            LOG.errorf("journal write after the call of %s on %s failed (%s); the lock is kept and the outcome "
                    + "reconciled", entry.action().actionId(), target.name(), e.getMessage());
            Action a = entry.action();
            String why = "the journal could not be written after the call (" + e.getMessage() + "); the target "
                    + "stays locked until the outcome is reconciled from the cloud's state";
            return new Phase(new Action(a.actionId(), a.target(), a.kind(), a.action(), a.trigger(),
                    ActionStatus.UNKNOWN, Verification.PENDING, a.reason(), why, a.requestId(), a.forced(),
                    a.dryRun(), a.startedAt(), null, a.cloud(), "SG.5040", why, a.steps()), true);
        }
    }

    private Phase fenced(ActionJournal.Entry entry, Target target, ActionStore.Held held, int attempt) {
        String why = switch (held) {
            case LOCK_LOST -> "the target lock expired or was taken by another switchover";
            case PAUSED -> "the target was paused after this decision";
            default -> "this replica's lease term ended";
        } + " before attempt " + attempt + "; nothing was sent";
        LOG.warnf("switchover %s on %s fenced off: %s", entry.action().actionId(), target.name(), why);
        // A pause is a guard saying no (SG.4091), as it would have said at the decision.
        journal.move(entry, ActionStatus.REJECTED, Verification.NONE, why, null,
                held == ActionStore.Held.PAUSED ? "SG.4091" : "SG.4093", why, true);
        // A lost lock is someone else's now; a lost lease leaves our lock to give back.
        return new Phase(entry.action(), held == ActionStore.Held.LOCK_LOST);
    }

    private Phase answered(Target target, ActionJournal.Entry entry, KindDriver.Snapshot before,
            CloudResponse response) {
        journal.step(entry, "call.result", describe(response));
        if (response instanceof CloudResponse.NotSent notSent) {
            journal.move(entry, ActionStatus.FAILED, Verification.NONE, "not sent: " + notSent.reason(), null,
                    "SG.5030", "not sent: " + notSent.reason(), false);
            return new Phase(entry.action(), false);
        }
        if (response instanceof CloudResponse.NoAnswer noAnswer) {
            journal.stage(entry, ActionStatus.UNKNOWN, Verification.PENDING, "no answer from the cloud ("
                    + noAnswer.reason() + "); the switchover may have happened and is never retried; checking the "
                    + "state", null, "SG.5040", "no answer from the cloud within "
                    + config.cloud().readTimeout().toSeconds() + "s; outcome being checked");
            return verify(target, entry, before, Follower.Basis.NO_ANSWER);
        }
        CloudResponse.Answered a = (CloudResponse.Answered) response;
        KindDriver.Interpretation reading = drivers.of(target.kind(), entry.action().action()).interpret(a);
        Action.Cloud cloud = new Action.Cloud(a.status(), reading.errorCode(), reading.errorMsg(), a.requestId());
        switch (reading.status()) {
            case FAILED -> {
                journal.move(entry, ActionStatus.FAILED, Verification.NONE, reading.detail(), cloud,
                        Answers.errorCode(reading.errorCode(), "SG.5020"), reading.errorMsg(), false);
                return new Phase(entry.action(), false);
            }
            case SUCCEEDED -> {
                journal.stage(entry, ActionStatus.SUBMITTED, Verification.PENDING, reading.detail(), cloud, null, null);
                return verify(target, entry, before, Follower.Basis.ACCEPTED);
            }
            case SUBMITTED -> {
                // The kind says the work only starts now (a DWS failover takes minutes): answer 202 at once.
                journal.step(entry, ANSWER, "answered SUBMITTED/PENDING; followed in the background");
                journal.move(entry, ActionStatus.SUBMITTED, Verification.PENDING, reading.detail(), cloud, null, null,
                        true);
                return follow(target, entry, before, Follower.Basis.ACCEPTED);
            }
            default -> {
                journal.stage(entry, ActionStatus.UNKNOWN, Verification.PENDING, reading.detail(), cloud, "SG.5040",
                        "HTTP " + a.status() + " from the cloud; outcome being checked");
                return verify(target, entry, before, a.status() >= 400 ? Follower.Basis.ERROR_ANSWER
                        : Follower.Basis.NO_ANSWER);
            }
        }
    }

    /**
     * The caller waits up to verify-timeout for the state; past that it is told what is known, and a follower goes on.
     * The answer is staged: it is written with the outcome when the first read settles it, else before the wait.
     */
    private Phase verify(Target target, ActionJournal.Entry entry, KindDriver.Snapshot before, Follower.Basis basis) {
        if (follower.verify(entry, target, before, basis)) {
            return new Phase(entry.action(), false);
        }
        Action a = entry.action();
        // The caller's answer, marked as such: a repeat of its requestId on another replica waits for this line,
        // not for the first status written while the state was still being read.
        journal.step(entry, ANSWER, "answered " + a.status() + "/" + a.verification() + "; followed in the background");
        journal.move(entry, a.status(), a.verification(), a.detail(), a.cloud(), a.errorCode(), a.errorMsg(), true);
        return follow(target, entry, before, basis);
    }

    private Phase follow(Target target, ActionJournal.Entry entry, KindDriver.Snapshot before, Follower.Basis basis) {
        follower.follow(entry, target, before, basis,
                entry.action().startedAt().plus(config.switchover().followTimeout()));
        return new Phase(entry.action(), true);
    }

    /**
     * Journals (and notifies) an automatic breach that a guard refused to act on. No cloud call, no lock,
     * no requestId: it records a decision, so /actions and /status show why nothing was done.
     */
    public Action reject(Target target, String trigger, String reason, String guardName) {
        SwitchoverRequest request = new SwitchoverRequest(target.name(), target.kind().action(), trigger, reason,
                null, false, false, null, null, null, null);
        Action rejected = journal.refuse(journal.create(target, request, false), "guard " + guardName + ": " + reason,
                "SG.4091", reason);
        log(rejected);
        return rejected;
    }

    /**
     * Journals a refusal (REJECTED, SG.4093, with its event) under a requestId nobody has used yet, so that a call
     * arriving with it later answers with this refusal instead of reaching the cloud: the work it belonged to was
     * given up for lost, and its owner may only be stalled (an approval settled as "nothing was sent"). Empty when
     * the requestId was taken meanwhile: that switchover is the outcome.
     */
    public Optional<Action> refuseRequest(Target target, String trigger, String action, String requestId,
            String reason) {
        SwitchoverRequest request = new SwitchoverRequest(target.name(), action, trigger, reason, requestId, false,
                false, null, null, null, null);
        try {
            Action refused = journal.refuse(journal.create(target, request, false), reason, "SG.4093", reason);
            log(refused);
            return Optional.of(refused);
        } catch (DuplicateRequestIdException e) {
            return Optional.empty();
        }
    }

    /** An operator's resolution of a stuck action or lock; see {@link Resolution}. */
    public SwitchoverResult resolve(Resolution r) {
        if (targets.find(r.target()).isEmpty()) {
            return refused(SwitchoverResult.Refusal.NOT_FOUND, "unknown target '" + r.target() + "'");
        }
        Optional<Action> found = store.find(r.actionId()).filter(a -> a.target().equals(r.target()));
        if (found.isEmpty()) {
            return refused(SwitchoverResult.Refusal.NOT_FOUND, "no action '" + r.actionId() + "' on target '"
                    + r.target() + "'");
        }
        Action action = found.get();
        Optional<ActionStore.Lock> lock = store.locks().stream().filter(l -> l.target().equals(r.target())).findFirst();
        if (action.finished() && (r.outcome() != Resolution.Outcome.RELEASE
                || lock.isEmpty() || !lock.get().owner().equals(action.actionId()))) {
            return refused(SwitchoverResult.Refusal.CONFLICT, "action '" + action.actionId() + "' already ended "
                    + action.status() + "/" + action.verification() + (lock.isPresent() ? "" : " and holds no lock"));
        }
        ActionJournal.Entry entry = journal.resume(action);
        String who = r.caller() != null ? r.caller() : "an operator";
        journal.step(entry, "resolve", who + ": " + r.outcome() + ": " + r.reason());
        String by = "resolved by " + who + ": " + r.reason();
        boolean moved = switch (r.outcome()) {
            case SUCCEEDED -> journal.move(entry, ActionStatus.SUCCEEDED, Verification.SKIPPED,
                    by + " (the switchover happened; checked by hand)", action.cloud(), null, null, true);
            case FAILED -> journal.move(entry, ActionStatus.FAILED, Verification.SKIPPED,
                    by + " (the switchover did not happen; checked by hand)", action.cloud(), "SG.5022", by, true);
            case RELEASE -> action.finished()
                    ? journal.note(entry)
                    : journal.move(entry, ActionStatus.UNKNOWN, Verification.SKIPPED,
                            by + " (lock released; outcome not recorded)", action.cloud(), "SG.5040", by, true);
        };
        if (!moved) {
            return refused(SwitchoverResult.Refusal.CONFLICT, "action '" + action.actionId()
                    + "' changed meanwhile: now " + entry.action().status() + "/" + entry.action().verification());
        }
        if (action.finished()) {
            store.release(r.target(), action.actionId()); // the other outcomes gave it back with their write
        }
        LOG.infof("resolve target=%s action=%s outcome=%s by=%s reason=%s", r.target(), action.actionId(),
                r.outcome(), who, r.reason());
        return new SwitchoverResult.Journaled(entry.action());
    }

    private Optional<SwitchoverResult> firstResult(SwitchoverRequest request, Target target) {
        if (request.requestId() == null) {
            return Optional.empty();
        }
        Optional<Action> first = store.findByRequestId(request.requestId());
        if (first.isEmpty()) {
            return Optional.empty();
        }
        if (!first.get().target().equals(target.name())) {
            return Optional.of(refused(SwitchoverResult.Refusal.CONFLICT, "requestId '" + request.requestId()
                    + "' was already used for target '" + first.get().target() + "'"));
        }
        CompletableFuture<Action> inProgress = running.get(first.get().actionId());
        if (inProgress == null) {
            return Optional.of(new SwitchoverResult.Journaled(answered(first.get())));
        }
        try {
            return Optional.of(new SwitchoverResult.Journaled(inProgress.get(TargetLock.ttl(config).toMillis(),
                    TimeUnit.MILLISECONDS)));
        } catch (Exception e) {
            // The first caller's phase failed or outlasted the lock: what the journal says now.
            return store.find(first.get().actionId()).map(SwitchoverResult.Journaled::new);
        }
    }

    /**
     * The first call's entry once that call has its answer. Another replica's call (or this one's, between its
     * entry's write and its registration in {@link #running}) may still be out: its entry then says only "journaled
     * before the cloud call", which is no outcome. It is read again until the call's answer is journaled, while
     * the first call's lock lasts; a caller that died meanwhile (its lock lapsed) leaves what the journal says.
     */
    private Action answered(Action first) {
        long deadline = System.nanoTime() + TargetLock.ttl(config).toNanos();
        long pause = 10;
        Action now = first;
        while (!hasAnswer(now) && System.nanoTime() < deadline && locked(now)) {
            sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, 200);
            now = store.find(first.actionId()).orElse(now);
        }
        // The lock may have been given back by the outcome's own write since the entry was read.
        return hasAnswer(now) ? now : store.find(first.actionId()).orElse(now);
    }

    private boolean locked(Action a) {
        return store.locks().stream().anyMatch(l -> l.owner().equals(a.actionId()));
    }

    /**
     * Whether the entry holds its caller's answer: its outcome, or the line its caller wrote when it answered
     * before the outcome (SUBMITTED or UNKNOWN, followed in the background). A status written while the caller
     * still waits for the state to confirm is not that answer. One that reconciliation took over (its caller died)
     * has all the answer it will get from a caller.
     */
    private static boolean hasAnswer(Action a) {
        return a.finished() || a.steps().stream().anyMatch(s -> s.name().equals(ANSWER) || s.name().equals("reconcile"));
    }

    private static SwitchoverResult refused(SwitchoverResult.Refusal refusal, String message) {
        return new SwitchoverResult.Refused(refusal, message);
    }

    private SwitchoverResult done(Action action) {
        log(action);
        return new SwitchoverResult.Journaled(action);
    }

    private static Action fencedAnswer(Action a, SwitchoverRequest request) {
        String why = "lease epoch " + request.lease().epoch() + " is no longer current: another replica leads";
        return new Action(a.actionId(), a.target(), a.kind(), a.action(), a.trigger(), ActionStatus.REJECTED,
                Verification.NONE, a.reason(), why, a.requestId(), a.forced(), a.dryRun(), a.startedAt(),
                a.startedAt(), null, "SG.4093", "this replica lost the checker lease; nothing was done", a.steps());
    }

    private static String describe(CloudResponse r) {
        if (r instanceof CloudResponse.Answered a) {
            return "HTTP " + a.status() + (a.requestId() != null ? " request " + a.requestId() : "")
                    + (a.error() != null ? " " + (a.error().code() != null ? a.error().code() + " " : "") + a.error().message() : "");
        }
        return (r instanceof CloudResponse.NotSent ? "not sent: " : "no answer: ") + Answers.reason(r);
    }

    private void log(Action a) {
        metrics.counter("switchguard_actions_total", "target", a.target(), "action", a.action(), "status",
                a.status().name()).increment();
        LOG.infof("switchover target=%s action=%s trigger=%s status=%s verification=%s forced=%s detail=%s",
                a.target(), a.action(), a.trigger(), a.status(), a.verification(), a.forced(), a.detail());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
