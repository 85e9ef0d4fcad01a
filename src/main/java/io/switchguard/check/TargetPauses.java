package io.switchguard.check;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.notify.Events;
import io.switchguard.policy.Pause;
import io.switchguard.policy.Pauses;
import io.switchguard.policy.TargetState;
import io.switchguard.store.OutboxStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A target's maintenance pause: set and lifted by an operator, ended when it runs out, a reminder when it is old.
 * The policy only reads the pause; every change of it is written here, journaled with who, and notified.
 */
final class TargetPauses {

    private static final Logger LOG = Logger.getLogger(TargetPauses.class);

    private final StateStore states;
    private final ControlJournal controls;
    private final OutboxStore outbox;
    private final Events events;
    private final SwitchguardConfig config;
    private final Clock clock;

    TargetPauses(StateStore states, ControlJournal controls, OutboxStore outbox, Events events,
            SwitchguardConfig config, Clock clock) {
        this.states = states;
        this.controls = controls;
        this.outbox = outbox;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Maintenance: no automatic action on the target until resumed or until the pause runs out. Manual calls still
     * work (CONTRACT §4). Only the pause fields are written, so it holds whichever replica serves it and whatever the
     * leader saves meanwhile. Journaled with who paused, and notified.
     */
    Pause pause(Target target, String by, String reason, Instant until) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Pause pause = new Pause(by, reason, now, until, null);
        states.setPause(target.name(), pause);
        controls.record(now, target.name(), "pause", by, reason, until == null ? "until resumed" : "until " + until);
        outbox.enqueue(events.forTarget(Events.TARGET_PAUSED, target.name(), pauseData(target, pause, reason)));
        LOG.infof("paused target=%s by=%s until=%s reason=%s", target.name(), by, until, reason);
        return pause;
    }

    void resume(Target target, String by, String reason) {
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
    TargetState review(Target target, TargetState state, Instant now) {
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target.name());
        m.put("pausedBy", pause.by());
        m.put("pausedAt", pause.at());
        m.put("until", pause.until());
        m.put("pauseReason", pause.reason());
        m.put("reason", reason);
        return m;
    }
}
