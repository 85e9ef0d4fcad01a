package io.switchguard.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchguard.approval.ApprovalStore;
import io.switchguard.approval.Approvals;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.probe.Net;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.OutboxStore;
import io.switchguard.store.ShardKeeper;
import io.switchguard.switchover.SwitchoverService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * A second replica's checker (or approvals) built by hand on the application's own beans, with only what a test
 * varies given: its shard keeper, its clock, its lease keeper. The one place a test meets their constructors, so a
 * new collaborator is added here and nowhere else.
 */
@Singleton
public class Checkers {

    @Inject Targets targets;
    @Inject ShardKeeper shards;
    @Inject CloudAuth auth;
    @Inject CloudSignals cloudSignals;
    @Inject Net net;
    @Inject StateStore states;
    @Inject SwitchoverService switchover;
    @Inject ActionStore journal;
    @Inject OutboxStore outbox;
    @Inject ControlJournal controls;
    @Inject FailoverBudget budget;
    @Inject ApprovalGate approvals;
    @Inject ApprovalStore approvalStore;
    @Inject PreflightGate preflight;
    @Inject Events events;
    @Inject SwitchguardConfig config;
    @Inject MeterRegistry metrics;
    @Inject ObjectMapper mapper;
    @Inject Clock clock;

    /** A fresh checker, as after a restart: only the store remembers. */
    public Checker checker() {
        return checker(shards, clock);
    }

    /** A fresh checker on the application's shards, living by the given clock. */
    public Checker checker(Clock clock) {
        return checker(shards, clock);
    }

    /** Another replica's checker: its own shards and clock, the application's store and cloud. */
    public Checker checker(ShardKeeper shards, Clock clock) {
        return new Checker(targets, shards, auth, observer(clock), states, switchover, journal, outbox, controls,
                budget, approvals, preflight, events, config, metrics, mapper, clock);
    }

    /** Another replica's checker on the given store (one that does something as it saves, say). */
    public Checker checker(ShardKeeper shards, StateStore states, Clock clock) {
        return new Checker(targets, shards, auth, observer(clock), states, switchover, journal, outbox, controls,
                budget, approvals, preflight, events, config, metrics, mapper, clock);
    }

    /** A checker of the given targets on the given store (a slow one, say), otherwise the application's. */
    public Checker checker(Targets targets, StateStore states) {
        return new Checker(targets, shards, auth, observer(clock), states, switchover, journal, outbox, controls,
                budget, approvals, preflight, events, config, metrics, mapper, clock);
    }

    /** Another replica's approvals, leading or not as its lease keeper says. */
    public Approvals approvals(LeaseKeeper keeper) {
        return new Approvals(targets, approvalStore, observer(clock), states, budget, switchover, journal, keeper,
                controls, outbox, events, config, mapper, clock);
    }

    /** Another replica's approvals, journaling its controls through the given journal (one that stalls, say). */
    public Approvals approvals(LeaseKeeper keeper, ControlJournal controls) {
        return new Approvals(targets, approvalStore, observer(clock), states, budget, switchover, journal, keeper,
                controls, outbox, events, config, mapper, clock);
    }

    private Observer observer(Clock clock) {
        return new Observer(cloudSignals, clock, net);
    }
}
