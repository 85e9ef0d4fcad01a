package io.switchguard.switchover;

import static io.switchguard.action.ActionStatus.DRY_RUN;
import static io.switchguard.action.ActionStatus.FAILED;
import static io.switchguard.action.ActionStatus.REJECTED;
import static io.switchguard.action.ActionStatus.SUBMITTED;
import static io.switchguard.action.ActionStatus.SUCCEEDED;
import static io.switchguard.action.ActionStatus.UNKNOWN;

import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.config.Target;
import io.switchguard.notify.Events;
import io.switchguard.store.ActionStore;
import io.switchguard.store.Lease;
import io.switchguard.store.TimeOrderedIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one writer of an {@link Action}. Every step is a journal line, and a change of status and verification
 * is written only when the transition table below holds the pair: anything else is a bug and is refused. The
 * store applies a transition only while the entry is still at the pair it is moving from, so two writers (a
 * follower and an operator, two replicas) cannot both finish an action: each action ends once, with exactly
 * one terminal event.
 */
@ApplicationScoped
public class ActionJournal {

    /** A status with its verification: the state of an action. */
    public record State(ActionStatus status, Verification verification) {
        @Override
        public String toString() {
            return status + "/" + verification;
        }
    }

    private static State s(ActionStatus status, Verification verification) {
        return new State(status, verification);
    }

    /** Journaled before the cloud call (a crash leaves this), or the call's outcome is being read from the state. */
    static final State CHECKING = s(UNKNOWN, Verification.PENDING);
    /** The cloud accepted the call; its state does not show the switch yet. */
    static final State ACCEPTED = s(SUBMITTED, Verification.PENDING);

    /** How an entry may begin. */
    static final Set<State> CREATED = Set.of(CHECKING, s(REJECTED, Verification.NONE), s(DRY_RUN, Verification.NONE));

    /** From each open state, where it may go. A state that is no key here is terminal. */
    static final Map<State, Set<State>> MOVES;

    static {
        Map<State, Set<State>> moves = new LinkedHashMap<>();
        moves.put(CHECKING, ordered(
                CHECKING,                                // a new finding while the state is read
                ACCEPTED,                                // the cloud accepted the call
                s(REJECTED, Verification.NONE),          // the fence said no right before the call: nothing sent
                s(FAILED, Verification.NONE),            // refused with the cloud's own error, or not sent at all
                s(SUCCEEDED, Verification.VERIFIED),     // the state shows the switch
                s(FAILED, Verification.FAILED),          // the state shows it did not happen
                s(UNKNOWN, Verification.SKIPPED),        // no status API to read, or released by an operator
                s(UNKNOWN, Verification.FAILED),         // no verdict before the follow-up ran out
                s(SUCCEEDED, Verification.SKIPPED),      // an operator checked by hand: it happened
                s(FAILED, Verification.SKIPPED)));       // an operator checked by hand: it did not
        moves.put(ACCEPTED, ordered(
                ACCEPTED,                                // a new finding while the state is read
                s(SUCCEEDED, Verification.VERIFIED),
                s(SUCCEEDED, Verification.SKIPPED),      // accepted, and the state cannot be read here (said so)
                s(FAILED, Verification.FAILED),
                s(UNKNOWN, Verification.FAILED),
                s(UNKNOWN, Verification.SKIPPED),
                s(FAILED, Verification.SKIPPED)));
        MOVES = java.util.Collections.unmodifiableMap(moves);
    }

    private static Set<State> ordered(State... states) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(states)));
    }

    static boolean terminal(State state) {
        return !MOVES.containsKey(state);
    }

    static boolean allowed(State from, State to) {
        return MOVES.getOrDefault(from, Set.of()).contains(to);
    }

    /** The table as text, one line per open state: what a test compares with the checked-in copy. */
    public static String table() {
        StringBuilder out = new StringBuilder();
        out.append("created -> ").append(join(CREATED.stream().sorted(java.util.Comparator.comparing(State::toString))
                .toList())).append('\n');
        MOVES.forEach((from, to) -> out.append(from).append(" -> ").append(join(List.copyOf(to))).append('\n'));
        Set<State> terminal = new LinkedHashSet<>(CREATED);
        MOVES.values().forEach(terminal::addAll);
        terminal.removeIf(st -> !terminal(st));
        out.append("terminal: ").append(join(terminal.stream().sorted(java.util.Comparator.comparing(State::toString))
                .toList())).append('\n');
        return out.toString();
    }

    private static String join(List<State> states) {
        return states.stream().map(State::toString).collect(Collectors.joining(", "));
    }

    /**
     * One action on its way through the journal: the record as written so far plus the lines not yet written
     * (they go with the next phase's transaction), and possibly a {@link #stage staged} state the store does not
     * hold yet. Used by one thread at a time (the caller, then its follower).
     */
    static final class Entry {
        private Action action;
        private int saved;
        /** The state the store holds (null before the entry is in it): what the next write compares and sets. */
        private State stored;

        private Entry(Action action, int saved) {
            this.action = action;
            this.saved = saved;
            this.stored = saved > 0 ? state() : null;
        }

        Action action() {
            return action;
        }

        State state() {
            return new State(action.status(), action.verification());
        }

        /** A journal line, written with the next phase. */
        void step(Instant at, String name, String detail) {
            List<Action.Step> steps = new ArrayList<>(action.steps());
            steps.add(new Action.Step(at, name, detail));
            action = action.withSteps(List.copyOf(steps));
        }

        boolean inStore() {
            return saved > 0;
        }

        boolean hasUnsaved() {
            return saved < action.steps().size();
        }

        /** A state moved to in memory only, written with the next write. */
        boolean staged() {
            return stored != null && !stored.equals(state());
        }

        private List<Action.Step> unsaved() {
            return List.copyOf(action.steps().subList(saved, action.steps().size()));
        }

        private void stage(Action next) {
            action = next;
        }

        private void saved(Action now) {
            action = now;
            saved = now.steps().size();
            stored = state();
        }
    }

    private final ActionStore store;
    private final Events events;
    private final Clock clock;

    public ActionJournal(ActionStore store, Events events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** A new entry (in memory until {@link #open}, {@link #refuse} or {@link #dryRun}). */
    Entry create(Target target, SwitchoverRequest request, boolean dryRun) {
        Instant now = now();
        Action a = new Action(TimeOrderedIds.next(now), target.name(), target.kind().id(), request.action(),
                request.trigger(), UNKNOWN, Verification.PENDING, request.reason(), "journaled before the cloud call",
                request.requestId(), request.force(), dryRun, now, null, null, null, null, List.of());
        Entry entry = new Entry(a, 0);
        entry.step(now, "accepted", request.trigger() + " " + request.action() + " on " + target.name()
                + (request.caller() != null ? " by " + request.caller() : "") + (request.force() ? " (forced)" : "")
                + (request.reason() != null ? ": " + request.reason() : ""));
        return entry;
    }

    /** An entry read back from the store (reconciliation). */
    Entry resume(Action action) {
        return new Entry(action, action.steps().size());
    }

    void step(Entry entry, String name, String detail) {
        entry.step(now(), name, detail);
    }

    /** To the microsecond, as the store keeps it: an answer shows the same instants as a later read of the entry. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Phase "before the call": lock, fence and entry in one transaction; see {@link ActionStore#open}. */
    ActionStore.Opened open(Entry entry, Duration lockTtl, Lease fence, Instant decidedOn) {
        // The decision's age by this replica's clock, which also took the observation; the store dates it by its own.
        ActionStore.Opened opened = store.open(entry.action(), lockTtl, fence,
                decidedOn == null ? null : Duration.between(decidedOn, clock.instant()));
        if (opened == ActionStore.Opened.STARTED) {
            entry.saved(entry.action());
        }
        return opened;
    }

    /** The fence right before a cloud call; the lines so far are written with it. */
    ActionStore.Held beforeCall(Entry entry, Duration lockTtl, Lease fence) {
        Action a = entry.action();
        ActionStore.Held held = store.beforeCall(a.target(), a.actionId(), lockTtl, fence, a.actionId(), entry.unsaved());
        if (held == ActionStore.Held.HELD) {
            entry.saved(a);
        }
        return held;
    }

    /**
     * A refusal: REJECTED with its event. An entry not yet in the store is journaled as a new, finished entry
     * (throws DuplicateRequestIdException when its requestId is taken); one already open moves there.
     */
    Action refuse(Entry entry, String detail, String errorCode, String errorMsg) {
        if (entry.inStore()) {
            move(entry, REJECTED, Verification.NONE, detail, null, errorCode, errorMsg, true);
            return entry.action();
        }
        Action next = with(entry.action(), REJECTED, Verification.NONE, detail, null, errorCode, errorMsg);
        require(CREATED.contains(new State(REJECTED, Verification.NONE)), entry.state(), next);
        store.begin(next, events.forAction(next));
        entry.saved(next);
        return next;
    }

    /** A dry run: journaled, nothing sent, no event. */
    Action dryRun(Entry entry, String detail) {
        Action next = with(entry.action(), DRY_RUN, Verification.NONE, detail, null, null, null);
        store.begin(next);
        entry.saved(next);
        return next;
    }

    /** The entry as the store has it now (another writer may have ended it); lines not yet written are dropped. */
    Action reread(Entry entry) {
        store.find(entry.action().actionId()).ifPresent(entry::saved);
        return entry.action();
    }

    /** Lines on an entry that has ended (an operator releasing its lock): appended; the entry is unchanged. */
    boolean note(Entry entry) {
        entry.unsaved().forEach(step -> store.step(entry.action().actionId(), step));
        entry.saved(entry.action());
        return true;
    }

    /**
     * Moves an entry to a state the table allows from where it is, writing its unsaved lines and, when the new
     * state is terminal or {@code tell} is set, its event, all in one transaction. Returns false when the entry
     * had moved on in the store (another writer finished it); the entry then holds what the store has.
     */
    boolean move(Entry entry, ActionStatus status, Verification verification, String detail, Action.Cloud cloud,
            String errorCode, String errorMsg, boolean tell) {
        State from = entry.state();
        State to = new State(status, verification);
        Action next = with(entry.action(), status, verification, detail, cloud, errorCode, errorMsg);
        require(allowed(from, to), from, next);
        // Compared with what the store holds, which is behind the entry when a state was staged.
        State stored = entry.stored != null ? entry.stored : from;
        boolean written = store.record(next, stored.status(), stored.verification(), entry.unsaved(),
                terminal(to) || tell ? events.forAction(next) : null);
        if (written) {
            entry.saved(next);
        } else {
            reread(entry);
        }
        return written;
    }

    /**
     * Moves an entry in memory only: an open state, no event, written with the entry's next write ({@link #move}
     * or {@link #flush}). The answer to a call is staged so that, when the first read of the state settles the
     * action, answer and outcome are one transaction. Until then the store shows the entry as journaled before
     * the call (UNKNOWN, PENDING), which reconciliation treats as a call that may have run, as it does the answer.
     */
    void stage(Entry entry, ActionStatus status, Verification verification, String detail, Action.Cloud cloud,
            String errorCode, String errorMsg) {
        State from = entry.state();
        State to = new State(status, verification);
        Action next = with(entry.action(), status, verification, detail, cloud, errorCode, errorMsg);
        require(allowed(from, to) && !terminal(to), from, next);
        entry.stage(next);
    }

    /** Writes what the entry has that the store does not: a staged state and unsaved lines. */
    boolean flush(Entry entry) {
        if (!entry.staged() && !entry.hasUnsaved()) {
            return true;
        }
        Action a = entry.action();
        return move(entry, a.status(), a.verification(), a.detail(), a.cloud(), a.errorCode(), a.errorMsg(), false);
    }

    private Action with(Action a, ActionStatus status, Verification verification, String detail, Action.Cloud cloud,
            String errorCode, String errorMsg) {
        Instant finished = terminal(new State(status, verification)) ? now() : null;
        return new Action(a.actionId(), a.target(), a.kind(), a.action(), a.trigger(), status, verification,
                a.reason(), detail, a.requestId(), a.forced(), a.dryRun(), a.startedAt(), finished, cloud, errorCode,
                errorMsg, a.steps());
    }

    private static void require(boolean allowed, State from, Action next) {
        if (!allowed) {
            throw new IllegalStateException("transition " + from + " -> " + next.status() + "/" + next.verification()
                    + " of action " + next.actionId() + " is not in the table");
        }
    }
}
