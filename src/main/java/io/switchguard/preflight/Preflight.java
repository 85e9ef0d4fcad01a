package io.switchguard.preflight;

import io.switchguard.check.ControlJournal;
import io.switchguard.check.PreflightGate;
import io.switchguard.config.Target;
import io.switchguard.notify.Events;
import io.switchguard.probe.HostPort;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.OutboxStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Continuous preflight per target (issue #16 part 1, orchestrator#802: a failover failed halfway because a
 * credential had been deleted weeks earlier): the kind's signed read (endpoint, credentials, resource, switchable
 * state) and the configured standby endpoint. Each replica judges its own readiness (its own credentials, its own
 * network) and keeps the latest in memory; the lease holder journals and notifies a change
 * (io.switchguard.target.unready, .ready). An unready target gets no automatic action, and a manual call on it
 * needs force.
 */
@ApplicationScoped
public class Preflight implements PreflightGate {

    private static final Logger LOG = Logger.getLogger(Preflight.class);

    private final Instance<KindPreflight> kinds;
    private final LeaseKeeper keeper;
    private final ControlJournal controls;
    private final OutboxStore outbox;
    private final Events events;
    private final Clock clock;
    private final Map<String, Readiness> latest = new ConcurrentHashMap<>();

    public Preflight(Instance<KindPreflight> kinds, LeaseKeeper keeper, ControlJournal controls, OutboxStore outbox,
            Events events, Clock clock) {
        this.kinds = kinds;
        this.keeper = keeper;
        this.controls = controls;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    /** One preflight of the target now; a change of readiness is journaled and notified by the lease holder. */
    public Readiness run(Target target) {
        List<Readiness.Check> checks = new ArrayList<>();
        for (KindPreflight kind : kinds) {
            if (kind.kinds().contains(target.kind())) {
                checks.addAll(kind.check(target));
            }
        }
        standby(target).ifPresent(checks::add);
        Readiness now = new Readiness(target.name(), clock.instant(), checks);
        Readiness before = latest.put(target.name(), now);
        // A first pass is no news; a first failure is.
        boolean changed = before == null ? !now.ready() : before.ready() != now.ready();
        if (changed && keeper.isLeader()) {
            controls.record(now.at(), target.name(), now.ready() ? "preflight-ready" : "preflight-unready",
                    ControlJournal.CHECKER, now.reason(), null);
            outbox.enqueue(events.forTarget(now.ready() ? Events.TARGET_READY : Events.TARGET_UNREADY,
                    target.name(), view(now)));
        }
        if (changed) {
            LOG.warnf("preflight target=%s ready=%s: %s", target.name(), now.ready(), now.reason());
        }
        return now;
    }

    /**
     * Whether the target's next preflight is due: never run, or its last one failed {@code retry} ago, or passed
     * {@code interval} ago.
     */
    public boolean due(Target target, java.time.Duration interval, java.time.Duration retry) {
        Readiness r = latest.get(target.name());
        return r == null || !r.at().plus(r.ready() ? interval : retry).isAfter(clock.instant());
    }

    @Override
    public Optional<String> unready(Target target) {
        Readiness r = latest.get(target.name());
        return r == null || r.ready() ? Optional.empty()
                : Optional.of("preflight at " + r.at() + " says it could not switch now: " + r.reason());
    }

    public Optional<Readiness> latest(String target) {
        return Optional.ofNullable(latest.get(target));
    }

    /** As /status and the events show it. */
    public static Map<String, Object> view(Readiness r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", r.ready());
        m.put("at", r.at());
        m.put("reason", r.reason());
        m.put("checks", r.checks());
        return m;
    }

    /** The configured standby must accept a connection: a switchover onto a standby nobody can reach is no fix. */
    private static Optional<Readiness.Check> standby(Target target) {
        if (target.probe() == null || target.probe().standby() == null) {
            return Optional.empty();
        }
        String address = target.probe().standby();
        try (Socket s = new Socket()) {
            HostPort hp = HostPort.parse(address);
            s.connect(new InetSocketAddress(hp.host(), hp.port()), (int) target.probe().timeout().toMillis());
            return Optional.of(Readiness.Check.pass("endpoints", "the standby " + address + " accepts connections"));
        } catch (IOException | RuntimeException e) {
            return Optional.of(Readiness.Check.fail("endpoints", "the standby " + address + " does not accept"
                    + " connections (" + e.getMessage() + ")"));
        }
    }
}
