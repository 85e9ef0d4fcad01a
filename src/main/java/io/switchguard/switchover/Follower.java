package io.switchguard.switchover;

import io.quarkus.runtime.StartupEvent;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * After the call: reads the cloud's state until it settles the action (verify, poll, settle), or says so when it
 * does not within follow-timeout (expire). It also finishes what a crash, a shutdown or a FaaS timeout left open
 * (reconcile, at startup and on every renewal of the leader lease). The target's lock is given back only by an
 * outcome, never by a shutdown or a store failure: then it expires, and reconciliation takes the action over.
 */
@ApplicationScoped
public class Follower {

    private static final Logger LOG = Logger.getLogger(Follower.class);
    /** The journal line that keeps the state before the call, so a reconciliation can still tell a change. */
    static final String STATE_BEFORE = "state.before";

    /** Why the outcome is being read: the cloud accepted, answered an error that proves nothing, or did not answer. */
    enum Basis {
        ACCEPTED,
        /** A 5xx or an error without the cloud's own body: if the state stays unchanged, the call did not run. */
        ERROR_ANSWER,
        /** No answer: the cloud may still be working, so an unchanged state settles nothing until the end. */
        NO_ANSWER
    }

    private final ActionJournal journal;
    private final ActionStore store;
    private final Drivers drivers;
    private final Targets targets;
    private final SwitchguardConfig config;
    private final Clock clock;
    private final CloudAuth auth;
    private final AtomicBoolean reconciling = new AtomicBoolean();
    private final ExecutorService followers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "switchover-follow");
        t.setDaemon(true);
        return t;
    });

    public Follower(ActionJournal journal, ActionStore store, Drivers drivers, Targets targets,
            SwitchguardConfig config, Clock clock, CloudAuth auth) {
        this.journal = journal;
        this.store = store;
        this.drivers = drivers;
        this.targets = targets;
        this.config = config;
        this.clock = clock;
        this.auth = auth;
    }

    /** Interrupts the followers; their locks stay until they expire, and the next leader reconciles the actions. */
    @PreDestroy
    void stop() {
        followers.shutdownNow();
    }

    /**
     * The caller's wait: reads the state until verify-timeout. Returns true when the action is settled. An error
     * answer whose state stayed unchanged through the whole wait ends FAILED with the cloud's code.
     */
    boolean verify(ActionJournal.Entry entry, Target target, KindDriver.Snapshot before, Basis basis) {
        Poll poll = poll(entry, target, before, basis, clock.instant().plus(config.switchover().verifyTimeout()), false);
        if (poll.settled()) {
            return true;
        }
        if (basis == Basis.ERROR_ANSWER && poll.last() == KindDriver.Check.Verdict.UNCHANGED) {
            Action a = entry.action();
            journal.move(entry, ActionStatus.FAILED, Verification.FAILED, "the cloud answered HTTP "
                    + httpStatus(a) + " and its state shows nothing changed: " + poll.detail(), a.cloud(),
                    errorCode(a.cloud(), "SG.5020"), cloudMsg(a.cloud(), poll.detail()), false);
            return true;
        }
        return false;
    }

    /** In the background, until the deadline; the lock goes back when the action has its outcome. */
    void follow(ActionJournal.Entry entry, Target target, KindDriver.Snapshot before, Basis basis, Instant deadline) {
        followers.submit(auth.propagate(() -> {
            try {
                Poll poll = poll(entry, target, before, basis, deadline, true);
                if (!poll.settled()) {
                    expire(entry, poll);
                }
                LOG.infof("switchover target=%s action=%s status=%s verification=%s detail=%s", target.name(),
                        entry.action().actionId(), entry.action().status(), entry.action().verification(),
                        entry.action().detail());
            } catch (RuntimeException e) {
                // Interrupted (shutdown) or the store failed: keep the lock; it expires and reconciliation resumes.
                // (An outcome gives the lock back with its own write.)
                LOG.warnf("following switchover %s on %s stopped (%s); the outcome is reconciled once its lock "
                        + "expires", entry.action().actionId(), target.name(), e.getMessage());
            }
        }));
    }

    private record Poll(boolean settled, KindDriver.Check.Verdict last, String detail) {}

    /**
     * Reads the status API with doubling delays until a verdict or the deadline. Each new finding is a journal
     * line; in the background it is written at once (a long follow-up shows its progress in /actions), while the
     * caller waits it goes with the next phase. A staged answer is written with the verdict of the first read, or
     * before the first wait.
     */
    private Poll poll(ActionJournal.Entry entry, Target target, KindDriver.Snapshot before, Basis basis,
            Instant deadline, boolean background) {
        KindDriver driver = drivers.of(target.kind(), entry.action().action());
        Duration delay = config.switchover().pollInitial();
        String last = null;
        while (true) {
            KindDriver.Check check = driver.check(target, before);
            if (!check.detail().equals(last)) {
                journal.step(entry, "verify", check.detail());
                last = check.detail();
            }
            if (settle(entry, check, basis)) {
                return new Poll(true, check.verdict(), check.detail());
            }
            if (background || entry.staged()) {
                // Not settled at the first read: the caller's answer is written before it waits.
                journal.flush(entry);
            }
            if (entry.action().finished()) {
                return new Poll(true, check.verdict(), check.detail()); // another writer finished it
            }
            if (clock.instant().plus(delay).isAfter(deadline)) {
                return new Poll(false, check.verdict(), check.detail());
            }
            Duration hold = delay.plus(TargetLock.ttl(config));
            if (!store.extendLock(target.name(), entry.action().actionId(), hold) && journal.reread(entry).finished()) {
                // An operator's outcome (or release) ended it and gave the lock back: nothing is left to watch.
                return new Poll(true, check.verdict(), check.detail());
            }
            sleep(delay);
            delay = min(delay.multipliedBy(2), config.switchover().pollMax());
        }
    }

    /** Moves the entry when the check is a verdict. A state is recorded only once it is a fact. */
    private boolean settle(ActionJournal.Entry entry, KindDriver.Check check, Basis basis) {
        Action a = entry.action();
        return switch (check.verdict()) {
            case DONE -> journal.move(entry, ActionStatus.SUCCEEDED, Verification.VERIFIED, check.detail(), a.cloud(),
                    null, null, false);
            case FAILED -> journal.move(entry, ActionStatus.FAILED, Verification.FAILED, check.detail(), a.cloud(),
                    errorCode(a.cloud(), "SG.5021"), "the cloud's state shows the switchover did not complete: "
                            + check.detail(), false);
            case UNAVAILABLE -> basis == Basis.ACCEPTED
                    ? journal.move(entry, ActionStatus.SUCCEEDED, Verification.SKIPPED, a.detail() + "; not verified: "
                            + check.detail(), a.cloud(), null, null, false)
                    : journal.move(entry, ActionStatus.UNKNOWN, Verification.SKIPPED, a.detail() + "; not verified: "
                            + check.detail(), a.cloud(), "SG.5040", "the outcome cannot be read here: "
                            + check.detail(), false);
            case PENDING, UNCHANGED -> false;
        };
    }

    /** The follow-up ran out of time without a verdict: say so, never claim success. */
    private void expire(ActionJournal.Entry entry, Poll poll) {
        Action a = entry.action();
        String why = "not confirmed within " + config.switchover().followTimeout().toString().substring(2).toLowerCase()
                + "; last seen: " + poll.detail();
        if (poll.last() == KindDriver.Check.Verdict.UNCHANGED) {
            journal.move(entry, ActionStatus.FAILED, Verification.FAILED, why, a.cloud(),
                    errorCode(a.cloud(), "SG.5021"), why, false);
        } else {
            journal.move(entry, ActionStatus.UNKNOWN, Verification.FAILED, why, a.cloud(), "SG.5040", why, false);
        }
    }

    // ---- reconciliation ----

    void onStart(@Observes StartupEvent event) {
        followers.submit(this::reconcileQuietly);
    }

    /** Fired by a renewal, in FaaS inside an invocation: its credentials go with the reconciliation. */
    void onLeading(@Observes LeaseKeeper.Leading leading) {
        followers.submit(auth.propagate(this::reconcileQuietly));
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warnf("reconciling unfinished switchovers failed (%s); tried again at the next lease renewal",
                    e.getMessage());
        }
    }

    /**
     * Every unfinished action whose lock nobody holds any more (its process crashed, stopped or timed out) is taken
     * over: its lock taken again, its state read, its entry finished and its terminal event sent. Returns how
     * many were taken over. An action whose lock is live is someone's work in progress and is left alone.
     */
    public int reconcile() {
        if (!auth.canSign()) {
            // No state can be read without credentials (a FaaS instance between invocations): taking an action over
            // would poll unsigned until its follow-up gave up UNKNOWN, holding the lock. An invocation reconciles it.
            LOG.debug("reconciliation skipped: no cloud credentials on this thread");
            return 0;
        }
        if (!reconciling.compareAndSet(false, true)) {
            return 0;
        }
        try {
            // Locks first, then the unfinished entries: read the other way round, an action that finished and
            // gave its lock back between the two reads looked abandoned, and was "taken over" after its answer
            // (its lock held again for the follow-up: the next call on the target got 409; seen in swap-latency.sh).
            Set<String> held = store.locks().stream().map(ActionStore.Lock::owner).collect(Collectors.toSet());
            List<Action> open = store.unfinished();
            if (open.isEmpty()) {
                return 0;
            }
            int taken = 0;
            for (Action a : open) {
                if (held.contains(a.actionId())) {
                    continue;
                }
                if (!store.tryLock(a.target(), a.actionId(), TargetLock.ttl(config))) {
                    continue; // a busy one is tried again later
                }
                // Under the lock, the entry as it is now: one that ended meanwhile is nobody's to take over.
                Optional<Action> now = store.find(a.actionId());
                if (now.isEmpty() || now.get().finished()) {
                    store.unlock(a.target(), a.actionId());
                    continue;
                }
                taken++;
                takeOver(journal.resume(now.get()), targets.find(a.target()).orElse(null));
            }
            return taken;
        } finally {
            reconciling.set(false);
        }
    }

    /** {@code target} null: no longer configured, so its state cannot be read; the entry still ends, and says so. */
    private void takeOver(ActionJournal.Entry entry, Target target) {
        Action a = entry.action();
        LOG.infof("reconciling switchover %s on %s left %s/%s", a.actionId(), a.target(), a.status(),
                a.verification());
        journal.step(entry, "reconcile", "left " + a.status() + "/" + a.verification()
                + " by a process that stopped; reading the state");
        if (a.steps().stream().noneMatch(s -> s.name().equals("call"))) {
            journal.move(entry, ActionStatus.FAILED, Verification.NONE, "not sent: the process stopped before the call",
                    null, "SG.5030", "not sent: the process stopped before the call", false);
            return;
        }
        if (target == null) {
            // Left open, it would never get its terminal event, and its lock would be taken again at every renewal.
            String why = "the target " + a.target() + " is no longer configured, so the outcome cannot be read:"
                    + " check it by hand";
            journal.move(entry, ActionStatus.UNKNOWN, Verification.SKIPPED, why, a.cloud(), "SG.5040", why, true);
            return;
        }
        KindDriver.Snapshot before = a.steps().stream().filter(s -> s.name().equals(STATE_BEFORE))
                .map(s -> new KindDriver.Snapshot(s.detail(), "before: " + s.detail())).reduce((x, y) -> y)
                .orElse(KindDriver.Snapshot.NONE);
        Basis basis = a.status() == ActionStatus.SUBMITTED ? Basis.ACCEPTED : Basis.NO_ANSWER;
        Instant deadline = max(a.startedAt().plus(config.switchover().followTimeout()),
                clock.instant().plus(config.switchover().verifyTimeout()));
        follow(entry, target, before, basis, deadline);
    }

    // ---- helpers ----

    private static String httpStatus(Action a) {
        return a.cloud() != null && a.cloud().httpStatus() != null ? a.cloud().httpStatus().toString() : "?";
    }

    private static String errorCode(Action.Cloud cloud, String fallback) {
        return Answers.errorCode(cloud != null ? cloud.errorCode() : null, fallback);
    }

    private static String cloudMsg(Action.Cloud cloud, String fallback) {
        return cloud != null && cloud.errorMsg() != null ? cloud.errorMsg() : fallback;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
