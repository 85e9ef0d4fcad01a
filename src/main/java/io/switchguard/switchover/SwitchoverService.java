package io.switchguard.switchover;

import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiException;
import io.switchguard.notify.Events;
import io.switchguard.store.ActionStore;
import io.switchguard.store.DuplicateRequestIdException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The one switchover path, for manual calls, the checker and FaaS alike. In order: idempotency, single flight
 * (a store lock per target), the journal entry (written before any cloud call, so a crash leaves UNKNOWN, never
 * nothing), the call (never retried once it may have been sent), the kind's success rule, and verification
 * against the cloud's own state, followed in the background when it takes longer than the caller waits.
 */
@ApplicationScoped
public class SwitchoverService {

    private static final Logger LOG = Logger.getLogger(SwitchoverService.class);
    /** Attempts of a call that provably never left: connection refused or connect timeout. */
    private static final int CONNECT_ATTEMPTS = 3;
    private static final Duration CONNECT_BACKOFF = Duration.ofMillis(200);
    private static final Pattern CLOUD_CODE = Pattern.compile("[A-Za-z]+\\.[A-Za-z0-9.]+");

    private final Targets targets;
    private final ActionStore store;
    private final SwitchguardConfig config;
    private final Clock clock;
    private final Events events;
    private final SafetyGuard guard;
    private final io.switchguard.cloud.CloudAuth auth;
    private final io.micrometer.core.instrument.MeterRegistry metrics;
    private final Map<Kind, KindDriver> drivers = new EnumMap<>(Kind.class);
    /** Sync phases running in this process, so a repeated requestId waits for the first answer. */
    private final Map<String, CompletableFuture<Action>> running = new ConcurrentHashMap<>();
    private final ExecutorService followers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "switchover-follow");
        t.setDaemon(true);
        return t;
    });

    public SwitchoverService(Targets targets, ActionStore store, CloudClient cloud, SwitchguardConfig config, Clock clock,
            Events events, SafetyGuard guard, io.micrometer.core.instrument.MeterRegistry metrics,
            io.switchguard.cloud.CloudAuth auth) {
        this.auth = auth;
        this.events = events;
        this.guard = guard;
        this.metrics = metrics;
        this.targets = targets;
        this.store = store;
        this.config = config;
        this.clock = clock;
        for (KindDriver d : List.of(new DcsDriver(cloud, false), new DcsDriver(cloud, true), new DrsDriver(cloud),
                new DwsDriver(cloud))) {
            drivers.put(d.kind(), d);
        }
    }

    @PreDestroy
    void stop() {
        followers.shutdownNow();
    }

    public Action switchover(SwitchoverRequest request) {
        Target target = targets.find(request.target())
                .orElseThrow(() -> ApiException.notFound("unknown target '" + request.target() + "'"));
        if (!target.kind().action().equals(request.action())) {
            throw ApiException.badRequest("target '" + target.name() + "' is a " + target.kind().id()
                    + " target: use /" + target.kind().action());
        }
        String mode = request.mode() != null ? request.mode() : target.mode();
        if (target.kind() == Kind.DRS && mode == null) {
            throw ApiException.badRequest("target '" + target.name() + "' has no configured mode: send mode source or target");
        }
        Optional<Action> first = firstResult(request, target);
        if (first.isPresent()) {
            return first.get();
        }
        Action action = newAction(target, request);
        if ("manual".equals(request.trigger())) {
            Optional<String> no = guard.beforeManual(target, request.force());
            if (no.isPresent()) {
                return journalOnly(request, target, finish(action, ActionStatus.REJECTED,
                        Verification.NONE, no.get(), null, "SG.4091", no.get()));
            }
        }
        if (request.dryRun() || config.dryRun()) {
            return journalOnly(request, target, finish(action, ActionStatus.DRY_RUN, Verification.NONE,
                    "dry run: would call " + drivers.get(target.kind()).describeCall(target, mode), null, null, null));
        }
        if (!store.tryLock(target.name(), action.actionId(), lockTtl())) {
            // Lost to a caller with the same requestId? Then its answer is ours.
            first = firstResult(request, target);
            if (first.isPresent()) {
                return first.get();
            }
            // Kept with its requestId: the same id must keep getting this answer, never reach the cloud later.
            Action rejected = finish(action, ActionStatus.REJECTED, Verification.NONE,
                    "another switchover is in flight on " + target.name(), null, "SG.4090",
                    "another switchover is in flight on " + target.name());
            return journalOnly(request, target, rejected);
        }
        CompletableFuture<Action> answer = new CompletableFuture<>();
        running.put(action.actionId(), answer);
        boolean following = false;
        try {
            try {
                if (request.lease() != null) {
                    // An automatic action is journaled only while its lease is current: a leader that was paused
                    // or partitioned past its term is refused here, before anything reaches the cloud.
                    store.beginFenced(action, null, request.lease());
                } else {
                    store.begin(action);
                }
            } catch (DuplicateRequestIdException e) {
                return firstResult(request, target).orElseThrow(() -> e);
            } catch (io.switchguard.store.FencedException e) {
                LOG.warnf("automatic %s on %s fenced off: lease epoch %d is no longer current", target.kind().action(),
                        target.name(), request.lease().epoch());
                return finish(action, ActionStatus.REJECTED, Verification.NONE, "lease epoch "
                        + request.lease().epoch() + " is no longer current: another replica leads", null, "SG.4093",
                        "this replica lost the checker lease; nothing was done");
            }
            Outcome outcome = perform(target, action, mode);
            following = outcome.follow();
            answer.complete(outcome.action());
            log(outcome.action());
            return outcome.action();
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(action.actionId());
            if (!following) {
                store.unlock(target.name(), action.actionId());
            }
        }
    }

    /**
     * Journals (and notifies) an automatic breach that a guard refused to act on. No cloud call, no lock,
     * no requestId: it records a decision, so /actions and /status show why nothing was done.
     */
    public Action reject(Target target, String trigger, String reason, String guardName) {
        SwitchoverRequest request = new SwitchoverRequest(target.name(), target.kind().action(), trigger, reason,
                null, false, false, null, null);
        Action rejected = finish(newAction(target, request), ActionStatus.REJECTED, Verification.NONE,
                "guard " + guardName + ": " + reason, null, "SG.4091", reason);
        return journalOnly(request, target, rejected);
    }

    /** The sync phase's result, and whether a background follower now owns the lock. */
    private record Outcome(Action action, boolean follow) {}

    private Outcome perform(Target target, Action action, String mode) {
        KindDriver driver = drivers.get(target.kind());
        String id = action.actionId();
        step(id, "snapshot", "reading state before the call");
        KindDriver.Snapshot before = driver.snapshot(target);
        step(id, "snapshot.result", before.detail());

        CloudResponse response = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            step(id, "call", "attempt " + attempt + ": " + driver.describeCall(target, mode));
            response = driver.call(target, mode);
            step(id, "call.result", describe(response));
            if (!(response instanceof CloudResponse.NotSent) || attempt == CONNECT_ATTEMPTS) {
                break;
            }
            sleep(CONNECT_BACKOFF.multipliedBy(attempt));
        }

        if (response instanceof CloudResponse.NotSent notSent) {
            return done(finish(action, ActionStatus.FAILED, Verification.NONE,
                    "not sent: " + notSent.reason(), null, "SG.5030", "not sent: " + notSent.reason()));
        }
        if (response instanceof CloudResponse.NoAnswer noAnswer) {
            // A swap is a toggle: never send it again. Ask the cloud what happened instead.
            Action unknown = update(action, ActionStatus.UNKNOWN, Verification.PENDING,
                    "no answer from the cloud (" + noAnswer.reason() + "); the switchover may have happened and is "
                            + "never retried; checking the state", null, "SG.5040",
                    "no answer from the cloud within " + config.cloud().readTimeout().toSeconds()
                            + "s; outcome being checked");
            return follow(target, driver, before, unknown);
        }
        CloudResponse.Answered answered = (CloudResponse.Answered) response;
        KindDriver.Interpretation reading = driver.interpret(answered);
        Action.Cloud cloud = new Action.Cloud(answered.status(), reading.errorCode(), reading.errorMsg(),
                answered.requestId());
        return switch (reading.status()) {
            case FAILED -> done(finish(action, ActionStatus.FAILED, Verification.NONE, reading.detail(), cloud,
                    errorCode(reading.errorCode(), "SG.5020"), reading.errorMsg()));
            case SUCCEEDED -> verify(target, driver, before,
                    update(action, ActionStatus.SUCCEEDED, Verification.PENDING, reading.detail(), cloud, null, null));
            case SUBMITTED -> follow(target, driver, before,
                    update(action, ActionStatus.SUBMITTED, Verification.PENDING, reading.detail(), cloud, null, null));
            default -> follow(target, driver, before, update(action, ActionStatus.UNKNOWN, Verification.PENDING,
                    reading.detail(), cloud, "SG.5040", reading.detail()));
        };
    }

    /** Waits up to verify-timeout for the cloud's state to confirm; past that the follower takes over. */
    private Outcome verify(Target target, KindDriver driver, KindDriver.Snapshot before, Action action) {
        Instant deadline = clock.instant().plus(config.switchover().verifyTimeout());
        Poll poll = poll(target, driver, before, action, deadline);
        if (poll.settled() != null) {
            return done(poll.settled());
        }
        // Accepted but not yet confirmed: say so now rather than stay silent for the whole follow-up.
        store.update(action, events.forAction(action));
        return follow(target, driver, before, action);
    }

    private Outcome follow(Target target, KindDriver driver, KindDriver.Snapshot before, Action action) {
        Instant deadline = clock.instant().plus(config.switchover().followTimeout());
        followers.submit(auth.propagate(() -> {
            try {
                Poll poll = poll(target, driver, before, action, deadline);
                Action last = poll.settled() != null ? poll.settled() : expire(action, poll.lastDetail());
                log(last);
            } catch (RuntimeException e) {
                LOG.errorf(e, "following switchover %s on %s failed", action.actionId(), target.name());
            } finally {
                store.unlock(target.name(), action.actionId());
            }
        }));
        return new Outcome(store.find(action.actionId()).orElse(action), true);
    }

    private record Poll(Action settled, String lastDetail) {}

    /** Polls the status API with doubling delays until a verdict or the deadline; journals each new finding. */
    private Poll poll(Target target, KindDriver driver, KindDriver.Snapshot before, Action action, Instant deadline) {
        Duration delay = config.switchover().pollInitial();
        String last = null;
        while (true) {
            KindDriver.Check check = driver.check(target, before);
            if (!check.detail().equals(last)) {
                step(action.actionId(), "verify", check.detail());
                last = check.detail();
            }
            Action settled = settle(action, check);
            if (settled != null) {
                return new Poll(settled, last);
            }
            if (clock.instant().plus(delay).isAfter(deadline)) {
                return new Poll(null, last);
            }
            store.extendLock(target.name(), action.actionId(), delay.plus(lockTtl()));
            sleep(delay);
            delay = min(delay.multipliedBy(2), config.switchover().pollMax());
        }
    }

    /** The action as the check settles it, or null while pending. A state is recorded only once it is a fact. */
    private Action settle(Action action, KindDriver.Check check) {
        return switch (check.verdict()) {
            case DONE -> finish(action, ActionStatus.SUCCEEDED, Verification.VERIFIED, check.detail(), action.cloud(),
                    null, null);
            case FAILED -> finish(action, ActionStatus.FAILED, Verification.FAILED, check.detail(), action.cloud(),
                    "SG.5021", "the cloud's state shows the switchover did not complete: " + check.detail());
            case UNAVAILABLE -> finish(action, action.status(), Verification.SKIPPED,
                    action.detail() + "; not verified: " + check.detail(), action.cloud(), action.errorCode(),
                    action.errorMsg());
            case PENDING -> null;
        };
    }

    /** The follow-up ran out of time without a verdict: say so, never claim success. */
    private Action expire(Action action, String lastDetail) {
        String why = "not confirmed within " + config.switchover().followTimeout().toString().substring(2).toLowerCase()
                + "; last seen: " + lastDetail;
        if (action.status() == ActionStatus.SUCCEEDED) {
            return finish(action, ActionStatus.FAILED, Verification.FAILED, why, action.cloud(), "SG.5021", why);
        }
        return finish(action, ActionStatus.UNKNOWN, Verification.FAILED, why, action.cloud(), "SG.5040", why);
    }

    private Optional<Action> firstResult(SwitchoverRequest request, Target target) {
        if (request.requestId() == null) {
            return Optional.empty();
        }
        Optional<Action> first = store.findByRequestId(request.requestId());
        if (first.isEmpty()) {
            return Optional.empty();
        }
        if (!first.get().target().equals(target.name())) {
            throw new ApiException(409, "SG.4092", "requestId '" + request.requestId()
                    + "' was already used for target '" + first.get().target() + "'", null);
        }
        CompletableFuture<Action> inProgress = running.get(first.get().actionId());
        if (inProgress != null) {
            try {
                return Optional.of(inProgress.get(lockTtl().toMillis(), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                // Fall through to what the journal says now.
            }
        }
        return store.find(first.get().actionId());
    }

    private Action journalOnly(SwitchoverRequest request, Target target, Action action) {
        try {
            store.begin(action, action.status() == ActionStatus.REJECTED ? events.forAction(action) : null);
        } catch (DuplicateRequestIdException e) {
            return firstResult(request, target).orElseThrow(() -> e);
        }
        log(action);
        return store.find(action.actionId()).orElse(action);
    }

    private Action newAction(Target target, SwitchoverRequest request) {
        Instant now = clock.instant();
        List<Action.Step> steps = new ArrayList<>();
        steps.add(new Action.Step(now, "accepted", request.trigger() + " " + target.kind().action() + " on "
                + target.name() + (request.force() ? " (forced)" : "")
                + (request.reason() != null ? ": " + request.reason() : "")));
        return new Action(UUID.randomUUID().toString(), target.name(), target.kind().id(), target.kind().action(),
                request.trigger(), ActionStatus.UNKNOWN, Verification.PENDING, request.reason(),
                "journaled before the cloud call", request.requestId(), request.force(),
                request.dryRun() || config.dryRun(), now, null, null, null, null, steps);
    }

    private Action update(Action a, ActionStatus status, Verification verification, String detail, Action.Cloud cloud,
            String errorCode, String errorMsg) {
        Action next = new Action(a.actionId(), a.target(), a.kind(), a.action(), a.trigger(), status, verification,
                a.reason(), detail, a.requestId(), a.forced(), a.dryRun(), a.startedAt(), null, cloud, errorCode,
                errorMsg, a.steps());
        boolean tell = status == ActionStatus.SUBMITTED || status == ActionStatus.UNKNOWN;
        store.update(next, tell ? events.forAction(next) : null);
        return next;
    }

    private Action finish(Action a, ActionStatus status, Verification verification, String detail, Action.Cloud cloud,
            String errorCode, String errorMsg) {
        Action next = new Action(a.actionId(), a.target(), a.kind(), a.action(), a.trigger(), status, verification,
                a.reason(), detail, a.requestId(), a.forced(), a.dryRun(), a.startedAt(), clock.instant(), cloud,
                errorCode, errorMsg, a.steps());
        if (status != ActionStatus.DRY_RUN && status != ActionStatus.REJECTED) {
            store.update(next, events.forAction(next));
        }
        return next;
    }

    private Outcome done(Action action) {
        return new Outcome(store.find(action.actionId()).orElse(action), false);
    }

    private void step(String actionId, String name, String detail) {
        store.step(actionId, new Action.Step(clock.instant(), name, detail));
    }

    /** The lock outlives the longest sync phase: snapshot, three connect attempts, the call, verification. */
    private Duration lockTtl() {
        SwitchguardConfig.Cloud c = config.cloud();
        return c.readTimeout().multipliedBy(2).plus(c.connectTimeout().multipliedBy(CONNECT_ATTEMPTS))
                .plus(config.switchover().verifyTimeout()).plusSeconds(30);
    }

    private static String errorCode(String cloudCode, String fallback) {
        return cloudCode != null && CLOUD_CODE.matcher(cloudCode).matches() ? cloudCode : fallback;
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
