package io.switchguard.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchguard.config.SwitchguardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Which targets this replica acts on. The targets are split into {@code switchguard.store.shards} shards (a target
 * belongs to shard crc32(name) mod shards), each shard is a lease in the store, and only the holder of a target's
 * shard runs its automatic decisions, fenced by that shard lease's epoch ({@link Turn#term()}), which the store
 * checks right before every cloud call, as it did for the one checker lease.
 *
 * <p>Fair share, every ttl / 3: a replica renews its membership and the shards it holds, then claims free or
 * lapsed shards up to ceil(shards / live replicas). It gives shards up when it holds more than that, or one at a time
 * while another live replica holds fewer than floor(shards / live replicas) (it is starving), and it gives a shard
 * up only between decisions: a decision holds its shard's gate ({@link #turn}), and a release only ever tries the
 * gate, so a shard with a decision or a synchronous switchover in flight is kept until the next round. A dead
 * replica's shards lapse with its leases and are claimed at the next round after that: within lease-ttl + ttl / 3.
 * One process (the H2 file store) is the only live replica, so it holds every shard.
 *
 * <p>Ownership is judged locally like {@link LeaseKeeper}'s leadership: a renewal answered "held" counts for ttl
 * minus a margin from when it was sent (monotonic time). Metrics: {@code switchguard_shards_owned{instance}} and
 * {@code switchguard_shards_unowned{instance}} (as this instance saw the store at its last round).
 */
@ApplicationScoped
public class ShardKeeper {

    private static final Logger LOG = Logger.getLogger(ShardKeeper.class);
    private static final long TICK_MILLIS = 250;

    private final JdbcShardStore store;
    private final String instanceId;
    private final int shards;
    private final Duration ttl;
    private final LongSupplier nanoTime;
    private final Consumer<Lease> onTaken;
    private final Counter renewFailures;
    private final ReentrantReadWriteLock[] gates;
    private final Map<Integer, Owned> owned = new ConcurrentHashMap<>();

    /** The rounds' own thread, once {@link #schedule()} started it. */
    private ScheduledExecutorService rounds;
    private volatile long lastRenewalNanos;
    private volatile boolean stopped;
    /** No rounds of its own in a FaaS deployment's HTTP function ({@link LeaseKeeper#inBackground}). */
    private volatile boolean background = true;
    private volatile boolean disagreeing;
    /** Shards no live replica held at the last round: their targets have no acting owner until claimed. */
    private volatile int unowned;

    /** A shard term this replica holds, and the monotonic time until which its last renewal counts. */
    private record Owned(Lease lease, long untilNanos) {}

    @Inject
    ShardKeeper(DataSource dataSource, LeaseKeeper keeper, SwitchguardConfig config, MeterRegistry registry,
            Event<LeaseKeeper.Leading> taken) {
        this(new JdbcShardStore(dataSource), keeper.instanceId(), config.store().shards(), config.store().leaseTtl(),
                registry, System::nanoTime, l -> taken.fire(new LeaseKeeper.Leading(l)));
        background = LeaseKeeper.inBackground(config);
    }

    /**
     * Also how a test builds further replicas on one store. {@code onTaken} runs after a round for each shard term
     * this replica newly holds (the application reconciles unfinished switchovers then).
     */
    public ShardKeeper(JdbcShardStore store, String instanceId, int shards, Duration ttl, MeterRegistry registry,
            LongSupplier nanoTime, Consumer<Lease> onTaken) {
        if (shards < 1) {
            throw new IllegalArgumentException("switchguard.store.shards must be at least 1: " + shards);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.shards = shards;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.onTaken = Objects.requireNonNull(onTaken, "onTaken");
        this.gates = new ReentrantReadWriteLock[shards];
        for (int i = 0; i < shards; i++) {
            gates[i] = new ReentrantReadWriteLock();
        }
        Gauge.builder("switchguard.shards.owned", this, k -> k.owned().size())
                .description("Shards of the targets whose automatic decisions this instance runs")
                .tag("instance", instanceId)
                .register(registry);
        Gauge.builder("switchguard.shards.unowned", this, k -> k.unowned)
                .description("Shards no live replica held at this instance's last round (their targets have no owner)")
                .tag("instance", instanceId)
                .register(registry);
        this.renewFailures = Counter.builder("switchguard.shard.renew.failures")
                .description("Shard lease rounds that could not reach the store")
                .tag("instance", instanceId)
                .register(registry);
    }

    /** The shard of a target: stable across processes, restarts and JVMs (CRC-32 of the UTF-8 name). */
    public static int shardOf(String target, int shards) {
        CRC32 crc = new CRC32();
        crc.update(target.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    public int shardOf(String target) {
        return shardOf(target, shards);
    }

    public int shards() {
        return shards;
    }

    public String instanceId() {
        return instanceId;
    }

    /** This replica's own live term of the shard, read once; empty when it does not hold it (or no longer trusts it). */
    public Optional<Lease> fence(int shard) {
        Owned o = owned.get(shard);
        return o != null && nanoTime.getAsLong() - o.untilNanos() < 0 ? Optional.of(o.lease()) : Optional.empty();
    }

    /** Whether this replica runs the target's automatic decisions now. */
    public boolean owns(String target) {
        return fence(shardOf(target)).isPresent();
    }

    /** The shards this replica holds live now, in order. */
    public SortedSet<Integer> owned() {
        SortedSet<Integer> out = new TreeSet<>();
        owned.keySet().forEach(s -> {
            if (fence(s).isPresent()) {
                out.add(s);
            }
        });
        return out;
    }

    /**
     * One decision on a target: holds the target's shard so it is not given up meanwhile, and reads the fence once,
     * after the hold, so the term that decides this replica acts is the term its action carries. Close it when the
     * decision (and its synchronous switchover) is over.
     */
    public Turn turn(String target) {
        int shard = shardOf(target);
        Lock hold = gates[shard].readLock();
        hold.lock();
        return new Turn(shard, fence(shard).orElse(null), hold);
    }

    /** A decision's hold on its target's shard; see {@link #turn}. */
    public static final class Turn implements AutoCloseable {
        private final int shard;
        private final Lease term;
        private final Lock hold;

        private Turn(int shard, Lease term, Lock hold) {
            this.shard = shard;
            this.term = term;
            this.hold = hold;
        }

        public int shard() {
            return shard;
        }

        /** This replica's term of the shard when the turn began: the fence of an automatic action; empty: not ours. */
        public Optional<Lease> term() {
            return Optional.ofNullable(term);
        }

        @Override
        public void close() {
            hold.unlock();
        }
    }

    /** The shard leases as the store has them now (live or lapsed): for /status. */
    public List<Lease> leases() {
        return store.leases(shards);
    }

    /** The live replicas as the store has them now: for /status. */
    public JdbcShardStore.Members members() {
        return store.members();
    }

    /**
     * One round: membership, renewals, then give up or claim toward the fair share. Returns whether this replica holds
     * any shard. A store failure is counted and logged, and leaves the held shards to run out on their local estimate.
     */
    public synchronized boolean renew() {
        if (stopped) {
            return !owned().isEmpty();
        }
        long sent = nanoTime.getAsLong();
        lastRenewalNanos = sent;
        List<Lease> taken = new ArrayList<>();
        try {
            JdbcShardStore.Members members = store.heartbeat(instanceId, shards, ttl);
            List<JdbcShardStore.Member> live = members.live();
            if (disagrees(live)) {
                return false;
            }
            for (Integer s : List.copyOf(owned.keySet())) {
                keep(s, store.acquireOrRenew(s, shards, instanceId, ttl), sent, taken);
            }
            int fair = (shards + live.size() - 1) / live.size();
            int floor = shards / live.size();
            Map<Integer, Lease> held = new HashMap<>();
            Map<String, Integer> holdings = new HashMap<>();
            for (Lease l : store.leases(shards)) {
                if (l.expiresAt().isAfter(members.now())) {
                    held.put(JdbcShardStore.shardNumber(l), l);
                    holdings.merge(l.holder(), 1, Integer::sum);
                }
            }
            boolean othersStarving = live.stream().anyMatch(m -> !m.id().equals(instanceId)
                    && holdings.getOrDefault(m.id(), 0) < floor);
            unowned = shards - held.size();
            int mine = owned.size();
            int surplus = mine > fair ? mine - fair : othersStarving && mine > floor ? 1 : 0;
            if (surplus > 0) {
                giveUp(surplus);
            } else if (mine < fair && (mine < floor || !othersStarving)) {
                claim(fair, held, sent, taken);
            }
        } catch (StoreException e) {
            renewFailures.increment();
            LOG.warnf("Shard leases not renewed by %s (%s); the shards held lapse at the end of their terms",
                    instanceId, e.getMessage());
        }
        for (Lease l : taken) {
            // The new owner finishes what a crashed, stopped or timed-out owner of the shard left open.
            onTaken.accept(l);
        }
        return !owned().isEmpty();
    }

    /**
     * Replicas started with another shard count map targets to other shards: two of them could both own a target.
     * So only replicas that agree with the eldest live one claim anything; the others give up what they hold.
     */
    private boolean disagrees(List<JdbcShardStore.Member> live) {
        int eldest = live.isEmpty() ? shards : live.get(0).shards();
        if (eldest == shards) {
            disagreeing = false;
            return false;
        }
        if (!disagreeing) {
            LOG.errorf("%s runs with switchguard.store.shards=%d but the eldest live replica %s with %d: this replica"
                    + " acts on no target until they agree", instanceId, shards, live.get(0).id(), eldest);
        }
        disagreeing = true;
        giveUp(owned.size());
        return true;
    }

    private void keep(int shard, Lease lease, long sent, List<Lease> taken) {
        Owned before = owned.get(shard);
        if (lease.heldBy(instanceId)) {
            owned.put(shard, new Owned(lease, sent + LeaseKeeper.margined(ttl).toNanos()));
            if (before == null || before.lease().epoch() != lease.epoch()) {
                LOG.infof("%s owns shard %d of %d (epoch %d)", instanceId, shard, shards, lease.epoch());
                taken.add(lease);
            }
        } else if (before != null) {
            owned.remove(shard);
            LOG.warnf("%s lost shard %d of %d to %s (epoch %d)", instanceId, shard, shards, lease.holder(),
                    lease.epoch());
        }
    }

    /** Free or lapsed shards up to the fair share, starting at a place of this replica's own so claimers spread out. */
    private void claim(int fair, Map<Integer, Lease> held, long sent, List<Lease> taken) {
        int start = shardOf(instanceId);
        for (int i = 0; i < shards && owned.size() < fair; i++) {
            int s = (start + i) % shards;
            if (owned.containsKey(s) || held.containsKey(s)) {
                continue;
            }
            keep(s, store.acquireOrRenew(s, shards, instanceId, ttl), sent, taken);
        }
    }

    /** Gives up to {@code count} shards back, only those with no decision in flight (their gate is free now). */
    private void giveUp(int count) {
        int given = 0;
        for (Integer s : new TreeSet<>(owned.keySet()).descendingSet()) {
            if (given == count) {
                break;
            }
            Lock gate = gates[s].writeLock();
            if (!gate.tryLock()) {
                continue; // a decision on one of its targets is running: kept until a later round
            }
            try {
                Owned o = owned.remove(s);
                given++;
                store.release(s, shards, instanceId);
                LOG.infof("%s gave shard %d of %d up (epoch %d) for a fair share", instanceId, s, shards,
                        o.lease().epoch());
            } catch (StoreException e) {
                LOG.infof("shard %d of %d not released by %s (%s); it lapses by itself", s, shards, instanceId,
                        e.getMessage());
            } finally {
                gate.unlock();
            }
        }
    }

    void start(@Observes StartupEvent event) {
        if (background) {
            renew();
            schedule();
        }
    }

    /**
     * A round every ttl / 3, looked for every 250 ms on a thread of its own: a round late by a whole second would add
     * it to every takeover, and Quarkus' scheduler fires at most once a second whatever its period says. The round
     * blocks on the store, so it runs neither on an event loop nor on the worker pool the functions share.
     */
    public synchronized void schedule() {
        if (rounds == null) {
            rounds = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "shard-leases");
                t.setDaemon(true);
                return t;
            });
            rounds.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        try {
            if (nanoTime.getAsLong() - lastRenewalNanos >= ttl.dividedBy(3).toNanos()) {
                renew();
            }
        } catch (RuntimeException e) {
            // A failed round must not end the schedule: the next tick tries again.
            LOG.errorf(e, "shard lease round of %s failed", instanceId);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (rounds != null) {
                rounds.shutdownNow();
            }
        }
        standDown();
    }

    /** No more rounds; the shards without a decision in flight are given up and the membership ends (shutdown). */
    public synchronized void standDown() {
        stopped = true;
        giveUp(owned.size());
        owned.clear();
        try {
            store.leave(instanceId);
        } catch (StoreException e) {
            LOG.infof("membership of %s not ended (%s); it expires by itself", instanceId, e.getMessage());
        }
    }

    /** Rounds again after {@link #standDown()}: a replica that left (in a test) comes back. */
    public synchronized void resume() {
        stopped = false;
        renew();
    }
}
