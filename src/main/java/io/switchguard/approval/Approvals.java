package io.switchguard.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.check.ApprovalGate;
import io.switchguard.check.Checker;
import io.switchguard.check.ControlJournal;
import io.switchguard.check.FailoverBudget;
import io.switchguard.check.Observer;
import io.switchguard.check.StateStore;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.policy.CycleContext;
import io.switchguard.policy.Decision;
import io.switchguard.policy.Policy;
import io.switchguard.policy.TargetState;
import io.switchguard.policy.Verdict;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.OutboxStore;
import io.switchguard.switchover.SwitchoverRequest;
import io.switchguard.switchover.SwitchoverResult;
import io.switchguard.switchover.SwitchoverService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Approval mode (auto: approve, issue #16 part 2). The policy decides as usual; a decision to switch over becomes a
 * request that waits for an operator. Any replica may answer it: the answer claims the request with a compare and
 * set, looks at the target again (what was true five minutes ago may not be now), and only then calls the one
 * switchover path with trigger "approved" and the request's own idempotency key. Silence is decided by the lease
 * holder's cycle once the deadline passed. Every step is journaled with who, and notified.
 */
@ApplicationScoped
public class Approvals implements ApprovalGate {

    /** The trigger of a switchover an operator approved. */
    public static final String TRIGGER = "approved";
    /**
     * An approval still being acted on this long after it was claimed lost its approver (a crash between the claim
     * and the journal): far past any switchover call's own bounds (the lock, verification), so it is settled from
     * the journal.
     */
    static final Duration STALE_APPROVING = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(Approvals.class);

    /** How an approve or deny call ended: done (the approval as it now stands), or why it could not be answered. */
    public record Answer(Outcome outcome, String message, Approval approval, Action action) {

        public enum Outcome { DONE, NOT_FOUND, CONFLICT }

        static Answer done(Approval approval, Action action) {
            return new Answer(Outcome.DONE, approval.outcome(), approval, action);
        }

        static Answer notFound(String message) {
            return new Answer(Outcome.NOT_FOUND, message, null, null);
        }

        static Answer conflict(String message, Approval approval) {
            return new Answer(Outcome.CONFLICT, message, approval, null);
        }
    }

    private final Targets targets;
    private final ApprovalStore store;
    private final Observer observer;
    private final StateStore states;
    private final FailoverBudget budget;
    private final SwitchoverService switchover;
    private final ActionStore journal;
    private final LeaseKeeper keeper;
    private final ControlJournal controls;
    private final OutboxStore outbox;
    private final Events events;
    private final SwitchguardConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Approvals(Targets targets, ApprovalStore store, Observer observer, StateStore states, FailoverBudget budget,
            SwitchoverService switchover, ActionStore journal, LeaseKeeper keeper, ControlJournal controls,
            OutboxStore outbox, Events events, SwitchguardConfig config, ObjectMapper mapper, Clock clock) {
        this.targets = targets;
        this.store = store;
        this.observer = observer;
        this.states = states;
        this.budget = budget;
        this.switchover = switchover;
        this.journal = journal;
        this.keeper = keeper;
        this.controls = controls;
        this.outbox = outbox;
        this.events = events;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ the lease holder's cycle

    @Override
    public Decision review(Target target, Decision decision, Checker.Signals signals, Instant observedAt,
            long episode, Instant now) {
        Optional<Approval> open = store.open(target.name());
        if (open.isPresent() && stale(open.get(), now)) {
            settle(target, open.get(), now);
            open = store.open(target.name());
        }
        if (open.isPresent() && open.get().status() == Approval.Status.PENDING && open.get().expired(now)) {
            return timedOut(target, open.get(), decision, now);
        }
        if (decision.verdict() != Verdict.AWAIT_APPROVAL) {
            return decision;
        }
        if (open.isPresent()) {
            Approval a = open.get();
            return with(decision, Verdict.AWAIT_APPROVAL, a.status() == Approval.Status.PENDING
                    ? "approval " + a.approvalId() + " awaits an answer until " + a.deadline() + " (on-timeout "
                            + a.onTimeout() + ")"
                    : "approval " + a.approvalId() + " was approved by " + a.answeredBy() + " and is being acted on",
                    null);
        }
        // One request per breach episode: an operator's no, or a deadline that gave up, holds until it recovers.
        Optional<Approval> no = store.inEpisode(target.name(), episode).stream()
                .filter(a -> a.status() == Approval.Status.DENIED || a.status() == Approval.Status.TIMED_OUT)
                .findFirst();
        if (no.isPresent()) {
            return with(decision, Verdict.REJECTED, "but approval " + no.get().approvalId() + " ended "
                    + no.get().status() + " (" + no.get().outcome() + ")", "approval");
        }
        return request(target, decision, signals, observedAt, episode, now);
    }

    private Decision request(Target target, Decision decision, Checker.Signals signals, Instant observedAt,
            long episode, Instant now) {
        Target.Approval mode = target.approval();
        Approval a = new Approval(UUID.randomUUID().toString(), target.name(), episode, target.kind().action(),
                Approval.Status.PENDING, decision.diagnosis().name(), decision.reason(), json(signals), observedAt, now,
                now.plus(mode.timeout()), mode.onTimeout(), null, null, null, null, null);
        if (!store.insert(a)) {
            return with(decision, Verdict.AWAIT_APPROVAL, "an approval request is already open", null);
        }
        controls.record(now, target.name(), "approval-requested", ControlJournal.CHECKER, decision.reason(),
                "approval " + a.approvalId() + ": answer by " + a.deadline() + " (on-timeout " + a.onTimeout() + ")");
        notify(Events.APPROVAL_REQUESTED, a);
        LOG.warnf("approval requested target=%s approval=%s deadline=%s on-timeout=%s: %s", target.name(),
                a.approvalId(), a.deadline(), a.onTimeout(), decision.reason());
        return with(decision, Verdict.AWAIT_APPROVAL, "approval " + a.approvalId() + " requested: answer by "
                + a.deadline() + " with POST /approve or /deny (on-timeout " + a.onTimeout() + ")", null);
    }

    /** Silence: act if so configured and the breach still holds this cycle, otherwise give up; journaled either way. */
    private Decision timedOut(Target target, Approval a, Decision decision, Instant now) {
        boolean actOnTimeout = "act".equals(a.onTimeout());
        boolean act = actOnTimeout && decision.verdict() == Verdict.AWAIT_APPROVAL;
        String silence = "no answer to approval " + a.approvalId() + " by " + a.deadline() + ": on-timeout "
                + a.onTimeout();
        String outcome = act ? silence + ", and the breach still holds: switching over automatically"
                : actOnTimeout ? silence + ", but it no longer holds (" + decision.reason() + "): nothing done"
                : silence + ": no automatic action in this breach episode; manual calls still work";
        if (!store.move(a.approvalId(), Approval.Status.PENDING, Approval.Status.TIMED_OUT, now,
                ControlJournal.CHECKER, null, outcome, null)) {
            // An operator's answer got there first: it decides.
            return decision.verdict() == Verdict.AWAIT_APPROVAL
                    ? with(decision, Verdict.AWAIT_APPROVAL, "approval " + a.approvalId() + " was just answered", null)
                    : decision;
        }
        controls.record(now, target.name(), "approval-timeout", ControlJournal.CHECKER, outcome,
                "approval " + a.approvalId());
        notify(Events.APPROVAL_TIMED_OUT, store.find(a.approvalId()).orElse(a));
        LOG.warnf("approval timed out target=%s approval=%s: %s", target.name(), a.approvalId(), outcome);
        if (act) {
            return with(decision, Verdict.SWITCHOVER, silence, null);
        }
        return decision.verdict() == Verdict.AWAIT_APPROVAL ? with(decision, Verdict.REJECTED, "but " + outcome,
                "approval") : decision;
    }

    private static boolean stale(Approval a, Instant now) {
        return a.status() == Approval.Status.APPROVING && a.answeredAt() != null
                && a.answeredAt().plus(STALE_APPROVING).isBefore(now);
    }

    /**
     * The approver's switchover, found by the approval's idempotency key, says how it ended; none = nothing sent.
     * The approver may be stalled rather than dead: "nothing sent" takes the key with a refusal first, so when it
     * wakes up its switchover answers with that refusal and never reaches the cloud.
     */
    private void settle(Target target, Approval a, Instant now) {
        Optional<Action> action = journal.findByRequestId(a.requestId());
        String lost = "approved by " + a.answeredBy() + " at " + a.answeredAt() + ", but the approving replica"
                + " stopped before recording the outcome";
        if (action.isEmpty()) {
            Optional<Action> refused = switchover.refuseRequest(target, TRIGGER, a.action(), a.requestId(), lost
                    + " and before any switchover was journaled; approval " + a.approvalId() + " is settled, so a"
                    + " late call of that approver sends nothing");
            if (refused.isPresent()) {
                finish(target, a, Approval.Status.REFUSED, lost + " and before any switchover was journaled: nothing"
                        + " was sent", refused.get());
                return;
            }
            action = journal.findByRequestId(a.requestId()); // the approver journaled it meanwhile
        }
        if (action.isPresent()) {
            finish(target, a, Approval.Status.APPROVED, lost + ": " + a.action() + " " + action.get().status()
                    + " (action " + action.get().actionId() + ")", action.get());
        } else {
            finish(target, a, Approval.Status.REFUSED, lost + " and before any switchover was journaled: nothing"
                    + " was sent", null);
        }
    }

    private static Decision with(Decision d, Verdict verdict, String more, String guard) {
        return new Decision(d.diagnosis(), verdict, d.reason() + "; " + more, d.breach(), d.stateChanged(), guard);
    }

    // ------------------------------------------------------------------ operators' answers, on any replica

    /**
     * An operator approves: claimed once (a second approve, on this replica or another, is told who has it), the
     * target is looked at again now, and only if the policy would still switch over does the one switchover path
     * run, with all its guards, the lock and (on the lease holder) the fence.
     *
     * @param approvalId the request to approve; null = the target's open one
     */
    public Answer approve(String targetName, String approvalId, String by, String reason) {
        Optional<Answer> invalid = validate(targetName);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Target target = targets.find(targetName).orElseThrow();
        Optional<Approval> found = lookUp(targetName, approvalId);
        if (found.isEmpty()) {
            return notAwaiting(targetName, approvalId);
        }
        Approval a = found.get();
        Instant now = clock.instant();
        Optional<Answer> unanswerable = unanswerable(a, now, true);
        if (unanswerable.isPresent()) {
            return unanswerable.get();
        }
        if (!store.move(a.approvalId(), Approval.Status.PENDING, Approval.Status.APPROVING, now, by, reason,
                "approved by " + by + ": looking at the target again", null)) {
            return unanswerable(store.find(a.approvalId()).orElseThrow(), now, true).orElseThrow();
        }
        controls.record(now, target.name(), "approve", by, reason, "approval " + a.approvalId());
        Optional<String> changed = stillHolds(target, now);
        if (changed.isPresent()) {
            return finish(target, a, Approval.Status.REFUSED, "approved by " + by + ", but the state changed since "
                    + a.requestedAt() + ": " + changed.get() + "; nothing was sent", null);
        }
        SwitchoverResult result = switchover.switchover(new SwitchoverRequest(target.name(), a.action(), TRIGGER,
                "approved by " + by + " (" + reason + "); approval " + a.approvalId() + ": " + a.reason(),
                a.requestId(), false, config.dryRun(), target.mode(), keeper.leadership().orElse(null),
                a.observedAt(), by));
        if (result instanceof SwitchoverResult.Refused r) {
            return finish(target, a, Approval.Status.REFUSED, "approved by " + by + ", but the switchover was"
                    + " refused: " + r.message(), null);
        }
        Action action = ((SwitchoverResult.Journaled) result).action();
        if (action.status() == ActionStatus.REJECTED) {
            return finish(target, a, Approval.Status.REFUSED, "approved by " + by + ", but a guard of the switchover"
                    + " said no: " + action.detail(), action);
        }
        return finish(target, a, Approval.Status.APPROVED, "approved by " + by + ": " + a.action() + " "
                + action.status() + " (action " + action.actionId() + ")", action);
    }

    /** An operator says no: nothing reaches the cloud, and the breach episode asks no more. */
    public Answer deny(String targetName, String approvalId, String by, String reason) {
        Optional<Answer> invalid = validate(targetName);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Optional<Approval> found = lookUp(targetName, approvalId);
        if (found.isEmpty()) {
            return notAwaiting(targetName, approvalId);
        }
        Approval a = found.get();
        Instant now = clock.instant();
        Optional<Answer> unanswerable = unanswerable(a, now, false);
        if (unanswerable.isPresent()) {
            return unanswerable.get();
        }
        String outcome = "denied by " + by + " (" + reason + "): no automatic action in this breach episode; manual"
                + " calls still work";
        if (!store.move(a.approvalId(), Approval.Status.PENDING, Approval.Status.DENIED, now, by, reason, outcome,
                null)) {
            return unanswerable(store.find(a.approvalId()).orElseThrow(), now, false).orElseThrow();
        }
        controls.record(now, targetName, "deny", by, reason, "approval " + a.approvalId());
        Approval denied = store.find(a.approvalId()).orElseThrow();
        notify(Events.APPROVAL_DENIED, denied);
        LOG.warnf("approval denied target=%s approval=%s by=%s: %s", targetName, a.approvalId(), by, reason);
        return Answer.done(denied, null);
    }

    private Optional<Answer> validate(String targetName) {
        Optional<Target> target = targets.find(targetName);
        if (target.isEmpty()) {
            return Optional.of(Answer.notFound("unknown target '" + targetName + "'"));
        }
        if (target.get().approval() == null) {
            return Optional.of(Answer.conflict("target '" + targetName + "' is not in approval mode (auto: approve)",
                    null));
        }
        return Optional.empty();
    }

    private Optional<Approval> lookUp(String target, String approvalId) {
        return approvalId == null ? store.open(target)
                : store.find(approvalId).filter(a -> a.target().equals(target));
    }

    private Answer notAwaiting(String target, String approvalId) {
        if (approvalId != null) {
            return Answer.notFound("no approval '" + approvalId + "' on target '" + target + "'");
        }
        return Answer.notFound("no approval awaits an answer on target '" + target + "'" + store.latest(target)
                .map(a -> " (the latest, " + a.approvalId() + ", ended " + a.status() + ": " + a.outcome() + ")")
                .orElse(""));
    }

    /**
     * Why this request cannot be answered now, or empty when it is PENDING within its deadline. Approving one that
     * was approved already answers with its result (the same call sent twice acts once).
     */
    private Optional<Answer> unanswerable(Approval a, Instant now, boolean approving) {
        if (a.status() == Approval.Status.PENDING) {
            return a.expired(now) ? Optional.of(Answer.conflict("approval " + a.approvalId() + " passed its deadline"
                    + " at " + a.deadline() + ": on-timeout " + a.onTimeout() + " decides", a)) : Optional.empty();
        }
        if (approving && a.status() == Approval.Status.APPROVED) {
            return Optional.of(Answer.done(a, a.actionId() == null ? null : journal.find(a.actionId()).orElse(null)));
        }
        if (a.status() == Approval.Status.APPROVING) {
            return Optional.of(Answer.conflict("approval " + a.approvalId() + " was approved by " + a.answeredBy()
                    + " at " + a.answeredAt() + " and is being acted on", a));
        }
        return Optional.of(Answer.conflict("approval " + a.approvalId() + " already ended " + a.status() + ": "
                + a.outcome(), a));
    }

    /**
     * The observation and guards now, as the checker would judge them: empty when the policy would still switch
     * over, else its sentence (the target answers again, the standby is down, a pause, a spent budget...).
     */
    private Optional<String> stillHolds(Target target, Instant now) {
        Observer.Seen seen = observer.observe(target);
        if (!seen.complete()) {
            return Optional.of("the checker's own probes did not all run now (" + String.join("; ", seen.notRun())
                    + "): it cannot trust its own view");
        }
        Map<String, Observer.Seen> all = new HashMap<>(observer.latest());
        all.put(target.name(), seen);
        TargetState state = states.load(target.name()).map(StateStore.Saved::state).orElse(TargetState.initial());
        CycleContext ctx = new CycleContext(config.dryRun(), Checker.isolated(all.values()))
                .withBudgets(budget.enabled() ? budget.read(now, target) : List.of());
        Decision now2 = Policy.evaluate(Checker.rules(target), state, seen.observation(), ctx, now).decision();
        return now2.verdict() == Verdict.AWAIT_APPROVAL ? Optional.empty() : Optional.of(now2.reason());
    }

    private Answer finish(Target target, Approval a, Approval.Status status, String outcome, Action action) {
        Instant now = clock.instant();
        if (!store.move(a.approvalId(), Approval.Status.APPROVING, status, now, null, null, outcome,
                action == null ? null : action.actionId())) {
            // Settled meanwhile (the lease holder took this approver for dead): that outcome, recorded and notified,
            // stands; a second terminal event would contradict it.
            Approval settled = store.find(a.approvalId()).orElseThrow();
            LOG.warnf("approval %s target=%s approval=%s was settled meanwhile; not recorded: %s", settled.status(),
                    target.name(), a.approvalId(), outcome);
            return Answer.done(settled, action);
        }
        Approval ended = store.find(a.approvalId()).orElseThrow();
        if (status == Approval.Status.REFUSED) {
            controls.record(now, target.name(), "approval-refused", ControlJournal.CHECKER, outcome,
                    "approval " + a.approvalId());
        }
        notify(status == Approval.Status.APPROVED ? Events.APPROVAL_APPROVED : Events.APPROVAL_REFUSED, ended);
        LOG.warnf("approval %s target=%s approval=%s: %s", status, target.name(), a.approvalId(), outcome);
        return Answer.done(ended, action);
    }

    // ------------------------------------------------------------------ reading

    /** Every open request, oldest first, as /status shows them. */
    public List<Map<String, Object>> pending() {
        return store.open().stream().map(this::view).toList();
    }

    /** The target's open request as /status shows it, or null. */
    public Map<String, Object> pending(String target) {
        return store.open(target).map(this::view).orElse(null);
    }

    /** An approval as the functions, /status and the events show it: the signals as JSON, how to answer it. */
    public Map<String, Object> view(Approval a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("approvalId", a.approvalId());
        m.put("target", a.target());
        m.put("action", a.action());
        m.put("status", a.status().name());
        m.put("diagnosis", a.diagnosis());
        m.put("reason", a.reason());
        m.put("signals", parse(a.signals()));
        m.put("observedAt", a.observedAt());
        m.put("requestedAt", a.requestedAt());
        m.put("deadline", a.deadline());
        m.put("onTimeout", a.onTimeout());
        m.put("answeredAt", a.answeredAt());
        m.put("answeredBy", a.answeredBy());
        m.put("answerReason", a.answerReason());
        m.put("outcome", a.outcome());
        m.put("actionId", a.actionId());
        if (a.status() == Approval.Status.PENDING) {
            m.put("answer", "POST /approve or /deny {\"target\":\"" + a.target() + "\",\"approvalId\":\""
                    + a.approvalId() + "\",\"reason\":\"...\"}");
        }
        return m;
    }

    private void notify(String type, Approval a) {
        outbox.enqueue(events.forTarget(type, a.target(), view(a)));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialize the signals", e);
        }
    }

    private Object parse(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (Exception e) {
            return json;
        }
    }
}
