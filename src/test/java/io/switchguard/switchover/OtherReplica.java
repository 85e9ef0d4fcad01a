package io.switchguard.switchover;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.store.ActionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * A second replica's switchover path on this application's store: its own journal, follower and clock, and its own
 * map of calls in flight, as another process has (a repeat there cannot wait on this one's).
 */
@ApplicationScoped
class OtherReplica {

    private final Targets targets;
    private final ActionStore store;
    private final Events events;
    private final Drivers drivers;
    private final SwitchguardConfig config;
    private final SafetyGuard guard;
    private final CloudAuth auth;
    private final MeterRegistry metrics;

    OtherReplica(Targets targets, ActionStore store, Events events, Drivers drivers, SwitchguardConfig config,
            SafetyGuard guard, CloudAuth auth, MeterRegistry metrics) {
        this.targets = targets;
        this.store = store;
        this.events = events;
        this.drivers = drivers;
        this.config = config;
        this.guard = guard;
        this.auth = auth;
        this.metrics = metrics;
    }

    SwitchoverService on(Clock clock) {
        ActionJournal journal = new ActionJournal(store, events, clock);
        return new SwitchoverService(targets, store, journal,
                new Follower(journal, store, drivers, targets, config, clock, auth), drivers, config, guard, metrics);
    }
}
