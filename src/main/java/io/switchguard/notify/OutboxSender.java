package io.switchguard.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxEntry.State;
import io.switchguard.store.OutboxStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Drains the outbox on threads of its own; nothing here runs on a switchover or probe thread, which only insert
 * rows (and, after commit, {@link #wake()} it, which only queues a task).
 *
 * <p>A new event whose target has nothing pending before it comes straight from the committing thread, already
 * claimed ({@link OutboxStore#handOff}). For the others, one poller thread claims due rows (heads of their target's
 * queue, see {@link OutboxStore}) up to the number of free sender threads and hands each to a sender thread. A
 * sender makes one attempt through the row's sink and records the outcome: delivered; or failed, due again after
 * {@link Backoff} and DEAD once max-age is reached. A finished attempt wakes the poller when a row may be waiting
 * behind it, so that the next event of that target follows at once.
 */
public final class OutboxSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);

    /**
     * @param claimTtl how long a claim keeps other replicas off a row: longer than any one attempt
     * @param retention how long delivered and dead rows stay in the outbox
     */
    public record Settings(Duration pollInterval, int threads, Backoff backoff, Duration maxAge, Duration claimTtl,
            Duration retention) {
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
        }
    }

    /** Per sink: rows pending (claimed ones included), delivered and dead, as the outbox holds them now. */
    public record SinkCounts(long pending, long delivered, long dead) {}

    private final OutboxStore store;
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private final Settings settings;
    private final String owner;
    private final ScheduledExecutorService poller;
    private final ExecutorService senders;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, AtomicLong> pending = new LinkedHashMap<>();
    private final Map<String, Counter> delivered = new LinkedHashMap<>();
    private final Map<String, Counter> failedAttempts = new LinkedHashMap<>();
    private final Map<String, Counter> dead = new LinkedHashMap<>();
    private volatile long lastPurge = System.nanoTime();
    private volatile boolean pollFailing;

    public OutboxSender(OutboxStore store, List<Sink> sinks, Settings settings, MeterRegistry registry, String owner) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owner = Objects.requireNonNull(owner, "owner");
        sinks.forEach(s -> this.sinks.put(s.name(), s));
        for (String sink : this.sinks.keySet()) {
            AtomicLong gauge = new AtomicLong();
            pending.put(sink, gauge);
            Gauge.builder("switchguard.notifications.pending", gauge, AtomicLong::get)
                    .description("Notifications not yet delivered (nor given up)").tag("sink", sink).register(registry);
            delivered.put(sink, Counter.builder("switchguard.notifications.delivered")
                    .description("Notifications delivered").tag("sink", sink).register(registry));
            failedAttempts.put(sink, Counter.builder("switchguard.notifications.failed.attempts")
                    .description("Delivery attempts that failed and will be retried or given up").tag("sink", sink)
                    .register(registry));
            dead.put(sink, Counter.builder("switchguard.notifications.dead")
                    .description("Notifications given up after max-age").tag("sink", sink).register(registry));
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("notify-poll"));
        this.senders = Executors.newFixedThreadPool(settings.threads(), daemon("notify-send"));
    }

    /** Starts polling; pending rows left by an earlier run (or another replica's expired claims) are picked up. */
    public void start() {
        if (sinks.isEmpty() || !started.compareAndSet(false, true)) {
            return;
        }
        long every = settings.pollInterval().toMillis();
        store.handOff(owner, settings.claimTtl(), this::take);
        poller.scheduleWithFixedDelay(this::cycleSafely, 0, every, TimeUnit.MILLISECONDS);
        LOG.infof("notifications: sending to %s (owner %s)", String.join(", ", sinks.keySet()), owner);
    }

    /** Look for due rows now rather than at the next poll. Never blocks: it only queues a task. */
    public void wake() {
        if (started.get() && !closed.get() && wakeQueued.compareAndSet(false, true)) {
            try {
                poller.execute(() -> {
                    wakeQueued.set(false);
                    cycleSafely();
                });
            } catch (RuntimeException e) {
                wakeQueued.set(false); // stopping
            }
        }
    }

    /** Stops sending and gives this owner's claims back, so the next run (or a replica) resends them at once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (started.get()) {
            store.endHandOff(owner);
        }
        poller.shutdownNow();
        senders.shutdownNow();
        try {
            senders.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (started.get()) {
            try {
                store.release(owner);
            } catch (RuntimeException e) {
                LOG.warnf("notifications: could not release claims of %s (they expire by themselves): %s", owner,
                        e.getMessage());
            }
        }
    }

    /** What the outbox holds per configured sink, for /status. */
    public Map<String, SinkCounts> counts() {
        Map<String, Map<State, Long>> all = store.counts();
        Map<String, SinkCounts> out = new LinkedHashMap<>();
        for (String sink : sinks.keySet()) {
            Map<State, Long> c = all.getOrDefault(sink, Map.of());
            out.put(sink, new SinkCounts(c.getOrDefault(State.PENDING, 0L), c.getOrDefault(State.DELIVERED, 0L),
                    c.getOrDefault(State.DEAD, 0L)));
        }
        return out;
    }

    public String owner() {
        return owner;
    }

    private void cycleSafely() {
        try {
            cycle();
            if (pollFailing) {
                LOG.info("notifications: outbox reachable again");
                pollFailing = false;
            }
        } catch (RuntimeException e) {
            // Logged once per outage, not once per poll.
            if (!pollFailing) {
                LOG.warnf("notifications: cannot read the outbox, retrying every %d ms: %s",
                        settings.pollInterval().toMillis(), e.getMessage());
                pollFailing = true;
            }
        }
    }

    private void cycle() {
        int free = settings.threads() - inFlight.get();
        if (free > 0) {
            List<OutboxEntry> claimed = store.claim(owner, settings.claimTtl(), free, List.copyOf(sinks.keySet()));
            claimed.forEach(entry -> dispatch(entry, null));
        }
        Map<String, Long> now = store.pending();
        pending.forEach((sink, gauge) -> gauge.set(now.getOrDefault(sink, 0L)));
        if (System.nanoTime() - lastPurge > Duration.ofHours(1).toNanos()) {
            lastPurge = System.nanoTime();
            int purged = store.purge(settings.retention());
            if (purged > 0) {
                LOG.debugf("notifications: purged %d finished outbox rows", purged);
            }
        }
    }

    /** A row claimed for this sender with its insert (see {@link OutboxStore#handOff}): sent without a poll. */
    private void take(OutboxStore.Handed handed) {
        if (!closed.get()) {
            dispatch(handed.row(), handed.leftToPollBefore());
        }
    }

    private void dispatch(OutboxEntry entry, Long leftToPollBefore) {
        inFlight.incrementAndGet();
        try {
            senders.execute(() -> send(entry, leftToPollBefore));
        } catch (RuntimeException e) {
            inFlight.decrementAndGet(); // stopping; the claim expires or is released
        }
    }

    /**
     * One attempt and its record. Afterwards the poll looks for what may have waited: behind a polled row,
     * anything; behind a handed one, only a row enqueued since, which the store counts ({@code leftToPollBefore}).
     */
    private void send(OutboxEntry entry, Long leftToPollBefore) {
        try {
            if (leftToPollBefore != null && store.behind(entry)) {
                // Handed with its insert, but an earlier row of its queue committed alongside it is still pending:
                // the poll sends it after that one, so a target's events reach each sink in their order.
                store.unclaim(entry, owner);
                return;
            }
            Sink sink = sinks.get(entry.sink());
            Sink.Result result;
            try {
                result = sink.deliver(entry);
            } catch (RuntimeException e) {
                result = Sink.Result.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (closed.get() && !result.delivered()) {
                // Cut short by stopping: not the receiver's failure. The claim is released (or lapses) and the
                // next run sends the row again.
                return;
            }
            record(entry, result);
        } catch (RuntimeException e) {
            // The outcome could not be recorded: the claim expires and the row is sent again (at-least-once).
            LOG.warnf("notifications: event %s to %s: could not record the outcome: %s", entry.eventId(),
                    entry.sink(), e.getMessage());
        } finally {
            inFlight.decrementAndGet();
            if (leftToPollBefore == null || store.leftToPoll() != leftToPollBefore) {
                wake();
            }
        }
    }

    private void record(OutboxEntry entry, Sink.Result result) {
        int attempt = entry.attempts() + 1;
        if (result.delivered()) {
            if (store.delivered(entry, owner)) {
                delivered.get(entry.sink()).increment();
                LOG.debugf("notification event=%s sink=%s type=%s subject=%s delivered on attempt %d: %s",
                        entry.eventId(), entry.sink(), entry.type(), entry.subject(), attempt, result.detail());
            }
            return;
        }
        failedAttempts.get(entry.sink()).increment();
        Duration retryIn = settings.backoff().delay(attempt, ThreadLocalRandom.current()::nextDouble);
        State state = store.failed(entry, owner, result.detail(), retryIn, settings.maxAge()).orElse(null);
        if (state == State.DEAD) {
            dead.get(entry.sink()).increment();
            LOG.errorf("notification event=%s sink=%s type=%s subject=%s given up after %d attempts (older than %s): %s",
                    entry.eventId(), entry.sink(), entry.type(), entry.subject(), attempt, settings.maxAge(),
                    result.detail());
        } else if (state == State.PENDING) {
            // One warning when an event starts failing; the retries after it are debug.
            if (attempt == 1) {
                LOG.warnf("notification event=%s sink=%s type=%s subject=%s failed: %s; retrying with backoff",
                        entry.eventId(), entry.sink(), entry.type(), entry.subject(), result.detail());
            } else {
                LOG.debugf("notification event=%s sink=%s attempt %d failed: %s; next in %d ms", entry.eventId(),
                        entry.sink(), attempt, result.detail(), retryIn.toMillis());
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
