package io.switchguard.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.switchguard.config.SwitchguardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Keeps this instance's claim on the checker lease ({@link LeaseStore#CHECKER}): tries to take or renew
 * it at start and every ttl / 3 ({@code switchguard.store.lease-ttl}, 15 s: every 5 s), and releases it
 * at shutdown so another replica takes over at once.
 *
 * <p>{@link #isLeader()} is judged locally, without trusting any wall clock: a renewal answered "held"
 * counts for ttl minus a safety margin from the moment the request was <em>sent</em> (monotonic time),
 * which ends no later than the database's expiry. It is a scheduling hint; the guarantee is the fence:
 * an automatic action carries {@link #leadership()}, which the store checks before every cloud call.
 *
 * <p>Metrics: {@code switchguard_leader{instance}} (1 leader, 0 not) and
 * {@code switchguard_lease_renew_failures_total{instance}} (the store could not be asked).
 */
@ApplicationScoped
public class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final LeaseStore leases;
    private final String instanceId;
    private final Duration ttl;
    private final LongSupplier nanoTime;
    private final Counter renewFailures;
    private final Consumer<Lease> onLeading;

    private volatile Lease lease;
    /** Monotonic time until which the last held renewal counts; meaningful only while lease is ours. */
    private volatile long leaderUntilNanos;
    private volatile long lastRenewalNanos;
    private volatile boolean stopped;
    /**
     * Set by the start-up renewal. The scheduler's first ticks come before the start-up observers, the store's
     * migration among them, and asked a fresh PostgreSQL for a table it did not have yet.
     */
    private volatile boolean started;
    /** See {@link #inBackground}. */
    private volatile boolean background = true;

    /** Fired (synchronously) after every renewal that found this instance holding the lease. */
    public record Leading(Lease lease) {}

    @Inject
    LeaseKeeper(LeaseStore leases, SwitchguardConfig config, MeterRegistry registry, Event<Leading> leading) {
        this(leases, defaultInstanceId(), config.store().leaseTtl(), registry, System::nanoTime,
                l -> leading.fire(new Leading(l)));
        background = inBackground(config);
    }

    /**
     * Whether the lease (and the shards) are renewed in the background. Not by a FaaS deployment's HTTP function:
     * it runs no cycle and no due work, yet while warm (the status page, manual calls) its renewals held the lease
     * and half the shards, and the timer function's invocations then decided those targets observe-only. It takes
     * them only in an invocation of its own (/invoke, /check), which renews them.
     */
    public static boolean inBackground(SwitchguardConfig config) {
        return !config.faas().enabled() || config.faas().eventMode();
    }

    /** Also how a test builds a second replica's keeper on the same store. */
    public LeaseKeeper(LeaseStore leases, String instanceId, Duration ttl, MeterRegistry registry, LongSupplier nanoTime) {
        this(leases, instanceId, ttl, registry, nanoTime, l -> { });
    }

    private LeaseKeeper(LeaseStore leases, String instanceId, Duration ttl, MeterRegistry registry,
            LongSupplier nanoTime, Consumer<Lease> onLeading) {
        this.onLeading = onLeading;
        this.leases = Objects.requireNonNull(leases, "leases");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        Gauge.builder("switchguard.leader", this, k -> k.isLeader() ? 1 : 0)
                .description("1 while this instance holds the checker lease")
                .tag("instance", instanceId)
                .register(registry);
        this.renewFailures = Counter.builder("switchguard.lease.renew.failures")
                .description("Checker lease renewals that could not reach the store")
                .tag("instance", instanceId)
                .register(registry);
    }

    /** This instance's holder name: host (pod) name, pid and a random part, so a restart or a cloned host is a new holder. */
    public String instanceId() {
        return instanceId;
    }

    /** True while the last renewal said this instance holds the lease and its local estimate of the term has not run out. */
    public boolean isLeader() {
        Lease l = lease;
        return l != null && l.heldBy(instanceId) && nanoTime.getAsLong() - leaderUntilNanos < 0;
    }

    /** The lease as last seen (this instance's or another's): for /status. Never a fence: it may be another's. */
    public Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    /**
     * This instance's own term while it leads, read once: the leadership decision and the fence of an automatic
     * action come from the same reading, so an action can only ever carry the epoch that made this replica act.
     */
    public Optional<Lease> leadership() {
        Lease l = lease;
        boolean leads = l != null && l.heldBy(instanceId) && nanoTime.getAsLong() - leaderUntilNanos < 0;
        return leads ? Optional.of(l) : Optional.empty();
    }

    /**
     * One renewal: takes or renews the lease and returns whether this instance leads. A store failure
     * is counted and logged, and leaves leadership to run out on its local estimate.
     */
    public boolean renew() {
        long sent = nanoTime.getAsLong();
        lastRenewalNanos = sent;
        Lease before = lease;
        try {
            Lease now = leases.acquireOrRenew(instanceId, ttl);
            lease = now;
            if (now.heldBy(instanceId)) {
                leaderUntilNanos = sent + margined(ttl).toNanos();
            }
            logChange(before, now);
            if (now.heldBy(instanceId)) {
                // The new (or continuing) leader finishes what a crashed, stopped or timed-out replica left open.
                onLeading.accept(now);
            }
        } catch (StoreException e) {
            renewFailures.increment();
            LOG.warnf("Checker lease not renewed by %s (%s); leadership lapses at the end of the term",
                    instanceId, e.getMessage());
        }
        return isLeader();
    }

    /** Gives the lease up (shutdown); another replica can take over at once. */
    public void release() {
        Lease l = lease;
        if (l != null && l.heldBy(instanceId)) {
            leaderUntilNanos = nanoTime.getAsLong();
            try {
                leases.release(instanceId);
                LOG.infof("Checker lease released by %s (epoch %d)", instanceId, l.epoch());
            } catch (StoreException e) {
                // A courtesy only (e.g. an embedded H2 already closed by its own shutdown hook).
                LOG.infof("Checker lease not released by %s (%s); it expires by itself", instanceId, e.getMessage());
            }
        }
    }

    void start(@Observes StartupEvent event) {
        started = true;
        if (background) {
            renew();
        }
    }

    /** Renews every ttl / 3; a one-second tick rather than a fixed interval, so any configured ttl is honoured. */
    @Scheduled(identity = "switchguard-checker-lease", every = "1s", concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        if (background && started && !stopped
                && nanoTime.getAsLong() - lastRenewalNanos >= ttl.dividedBy(3).toNanos()) {
            renew();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        standDown();
    }

    /** No more renewals, and the lease (if held) is given up: shutdown, or a replica leaving in a test. */
    public void standDown() {
        stopped = true;
        release();
    }

    /** Renews again after {@link #standDown()}: a replica that left (in a test) comes back. */
    public void resume() {
        stopped = false;
        renew();
    }

    /** Room for a renewal's round trip and a paused JVM: a fifth of the term, at most 2 s. */
    static Duration margined(Duration ttl) {
        Duration margin = ttl.dividedBy(5);
        if (margin.compareTo(Duration.ofSeconds(2)) > 0) {
            margin = Duration.ofSeconds(2);
        }
        return ttl.minus(margin);
    }

    private void logChange(Lease before, Lease now) {
        boolean was = before != null && before.heldBy(instanceId);
        boolean is = now.heldBy(instanceId);
        if (is && (!was || before.epoch() != now.epoch())) {
            LOG.infof("%s leads: checker lease epoch %d", instanceId, now.epoch());
        } else if (was && !is) {
            LOG.warnf("%s lost the checker lease to %s (epoch %d)", instanceId, now.holder(), now.epoch());
        }
    }

    private static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
        }
        long pid = ProcessHandle.current().pid();
        return host + "/" + pid + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
