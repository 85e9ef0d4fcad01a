package io.switchguard.drill;

import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import io.switchguard.action.Action;
import io.switchguard.notify.Events;
import io.switchguard.notify.Notifications;
import io.switchguard.store.ActionStore;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Whether a RUNNING drill still has a runner. The replica that runs a drill touches its row every 5 s; when one has
 * not been heard of for {@code switchguard.drills.stale-claim} (its replica died or stalled mid-drill), the leader
 * ends it FAILED with one drill.failed event and the journal's account of its switches. Nothing is sent to the
 * cloud on its behalf: the roles are for a person to judge, and the journal's own reconciliation finishes a switch
 * that was in flight. A runner that was only stalled finds its row ended at its next write and stops there.
 */
@ApplicationScoped
public class DrillLiveness {

    private static final Logger LOG = Logger.getLogger(DrillLiveness.class);

    private final DrillStore store;
    private final ActionStore actions;
    private final LeaseKeeper keeper;
    private final Notifications notifications;
    private final Events events;
    private final DrillConfig config;
    private final Clock clock;
    /** The drills this process runs. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public DrillLiveness(DrillStore store, ActionStore actions, LeaseKeeper keeper, Notifications notifications,
            Events events, DrillConfig config, Clock clock) {
        this.store = store;
        this.actions = actions;
        this.keeper = keeper;
        this.notifications = notifications;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /** Who runs the drills this process starts, as their rows name it. */
    String runner() {
        return keeper.instanceId();
    }

    void started(String drillId) {
        running.add(drillId);
    }

    void ended(String drillId) {
        running.remove(drillId);
    }

    /** Every 5 s: this replica's running drills say they live, and the leader ends those whose runner went quiet. */
    @Scheduled(identity = "switchguard-drill-liveness", every = "5s", concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        try {
            if (!running.isEmpty()) {
                store.touch(Set.copyOf(running));
            }
            endAbandoned(keeper.leadership());
        } catch (RuntimeException e) {
            LOG.errorf(e, "drills: liveness failed");
        }
    }

    /** Ends each drill whose runner went quiet, if {@code leadership} is present; returns how many. */
    public int endAbandoned(Optional<Lease> leadership) {
        if (leadership.isEmpty()) {
            return 0;
        }
        int ended = 0;
        for (DrillStore.Abandoned a : store.abandoned(config.staleClaim())) {
            if (running.contains(a.report().id())) {
                continue; // this process runs it: its next touch comes
            }
            DrillReport r = abandoned(a);
            if (store.endAbandoned(r, config.staleClaim())) {
                notifications.enqueue(events.forTarget(DrillReport.EVENT_PREFIX + "failed", r.target(), r));
                LOG.warnf("drill %s on %s: %s", r.id(), r.target(), r.detail());
                ended++;
            }
        }
        return ended;
    }

    private DrillReport abandoned(DrillStore.Abandoned a) {
        DrillReport r = a.report();
        Optional<Action> away = actions.findByRequestId(r.id() + "-away");
        Optional<Action> back = actions.findByRequestId(r.id() + "-back");
        String why = "its runner " + (a.runner() != null ? a.runner() : "(not recorded)") + " was last heard of at "
                + a.lastSeen() + ", more than " + config.staleClaim().toSeconds() + "s ago";
        String legs = away.isEmpty() ? "it stopped before the switch away was journaled: nothing was sent"
                : "the switch away (" + away.get().actionId() + ") ended " + DrillReport.describe(away.get())
                        + (back.isEmpty()
                                ? "; no switch back was sent: the target may be left on the DR side, check the roles"
                                        + " by hand"
                                : "; the switch back (" + back.get().actionId() + ") ended "
                                        + DrillReport.describe(back.get()) + ": check the roles by hand");
        Instant now = clock.instant();
        List<DrillReport.Step> timeline = new ArrayList<>(r.timeline());
        timeline.add(new DrillReport.Step(now, "abandoned", why));
        timeline.add(new DrillReport.Step(now, "outcome", "failed: " + legs));
        return new DrillReport(r.id(), r.target(), r.kind(), DrillReport.State.FAILED, r.reason(), r.holdMillis(),
                r.checkUrl(), r.startedAt(), r.startedBy(), now, why + "; " + legs, r.guards(), List.copyOf(timeline),
                r.away(), r.back(), r.rpo());
    }
}
