package io.switchguard.check;

import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.Kind;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.ProbeResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The cloud status of targets, fetched with care (issue 13 item 3). A read runs on its own threads with its own
 * timeout, never on the probe slots, so a slow cloud holds no data-plane probe back. A resource's read is reused
 * for its target's interval (at most one read per interval per resource, however many cycles or targets ask) and
 * joined while it runs; a reader that serves many resources in one call (DRS batch-status) reads every target of
 * the region and project at once. Calls are held under a rate limit per service: a read that would exceed it is
 * not made, and the signal is unknown, with the reason.
 */
@ApplicationScoped
public class CloudSignals {

    /** How a result begins that this class made because it read nothing: no signal. */
    public static final String NOT_READ = "no cloud status: ";

    /** A read of one resource: done or still running, and when it started. */
    private record Read(CompletableFuture<ProbeResult> result, Instant startedAt) {}

    private final CloudStatusReaders readers;
    private final Targets targets;
    private final CloudAuth auth;
    private final Clock clock;
    private final boolean reuse;
    private final Duration timeout;
    private final Optional<Duration> wait;
    private final Map<String, RateLimit> limits;
    private final Object lock = new Object();
    // guarded by lock: the latest read of each resource
    private final Map<String, Read> reads = new HashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cloud-status");
        t.setDaemon(true);
        return t;
    });

    public CloudSignals(CloudStatusReaders readers, Targets targets, CloudAuth auth, SwitchguardConfig config,
            Clock clock) {
        this.readers = readers;
        this.targets = targets;
        this.auth = auth;
        this.clock = clock;
        SwitchguardConfig.Cloud cloud = config.cloud();
        this.reuse = cloud.signals().reuse();
        this.timeout = cloud.signals().timeout()
                .orElse(cloud.connectTimeout().plus(cloud.readTimeout()).multipliedBy(2));
        this.wait = cloud.signals().waitBeside();
        SwitchguardConfig.RateLimit rate = cloud.rateLimit();
        this.limits = Map.of("dcs", new RateLimit(rate.dcs(), clock), "drs", new RateLimit(rate.drs(), clock),
                "dws", new RateLimit(rate.dws(), clock));
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** The reads' own bound. */
    public Duration timeout() {
        return timeout;
    }

    /** How long an observation waits for a read beside the target's data-plane probe. */
    public Duration wait(Target target) {
        return wait.orElse(target.probe().timeout());
    }

    /**
     * The target's cloud status: the read made within its interval if there is one (done or still running), else a
     * new one. Never blocks; the future completes within {@link #timeout()}.
     */
    public CompletableFuture<ProbeResult> read(Target target) {
        return read(target, reuse);
    }

    /** A new read, whatever was read before (a manual call's guard); one still running is joined. */
    public CompletableFuture<ProbeResult> fresh(Target target) {
        return read(target, false);
    }

    private CompletableFuture<ProbeResult> read(Target target, boolean reusable) {
        CloudStatusReader reader = readers.of(target.kind());
        Instant now = clock.instant();
        synchronized (lock) {
            Read last = reads.get(key(target));
            if (last != null && (!last.result().isDone() || reusable && fresh(last, target, now))) {
                return last.result();
            }
            List<Target> batch = reader instanceof CloudStatusReader.Batched b
                    ? batch(b, target, reusable, now) : List.of(target);
            RateLimit limit = limits.get(target.kind().service());
            if (!limit.tryAcquire(reader.calls())) {
                return CompletableFuture.completedFuture(notRead(target.kind().service()
                        + " calls over the rate limit of " + limit.perSecond() + "/s, not made", Duration.ZERO));
            }
            CompletableFuture<Map<String, ProbeResult>> all = CompletableFuture.supplyAsync(
                    auth.propagate(timed(reader, batch)), pool).completeOnTimeout(Map.of(), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            CompletableFuture<ProbeResult> mine = null;
            for (Target t : batch) {
                CompletableFuture<ProbeResult> one = all.thenApply(m -> m.getOrDefault(t.resourceId(),
                        notRead("no answer within " + timeout.toMillis() + " ms", timeout)));
                reads.put(key(t), new Read(one, now));
                if (t == target) {
                    mine = one;
                }
            }
            return mine;
        }
    }

    /**
     * The target and every other target of its reader, region and project whose status is due (not read within its
     * interval, not being read), up to one batch.
     */
    private List<Target> batch(CloudStatusReader.Batched reader, Target target, boolean reusable, Instant now) {
        List<Target> batch = new ArrayList<>(List.of(target));
        for (Target t : targets.all()) {
            if (batch.size() >= reader.batchSize()) {
                break;
            }
            if (t == target || t.probe() == null || !t.probe().cloud() || readers.of(t.kind()) != reader
                    || !t.region().equals(target.region()) || !t.projectId().equals(target.projectId())
                    || batch.stream().anyMatch(b -> b.resourceId().equals(t.resourceId()))) {
                continue;
            }
            Read last = reads.get(key(t));
            if (last == null || last.result().isDone() && !(reusable && fresh(last, t, now))) {
                batch.add(t);
            }
        }
        return batch;
    }

    /** Read within the target's interval; a tenth of it is left as slack, so a cycle a little early reads anew. */
    private static boolean fresh(Read read, Target target, Instant now) {
        Duration interval = target.probe() != null ? target.probe().interval() : Duration.ZERO;
        return Duration.between(read.startedAt(), now).compareTo(interval.minus(interval.dividedBy(10))) < 0;
    }

    private static Supplier<Map<String, ProbeResult>> timed(CloudStatusReader reader, List<Target> batch) {
        return () -> {
            long t0 = System.nanoTime();
            Map<String, ProbeResult> out = new HashMap<>();
            try {
                if (reader instanceof CloudStatusReader.Batched b) {
                    out.putAll(b.readAll(batch));
                } else {
                    out.put(batch.get(0).resourceId(), reader.read(batch.get(0)));
                }
            } catch (RuntimeException e) {
                // A bug in a reader is no signal, and must not fail the observation of every target sharing it.
                batch.forEach(t -> out.put(t.resourceId(), notRead("the read failed: " + e, Duration.ZERO)));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            out.replaceAll((id, r) -> new ProbeResult(r.health(), r.detail(), took, r.role(), r.masterLinkUp(),
                    r.lagBytes(), r.lag(), r.lastSync()));
            return out;
        };
    }

    /** Whether {@code r} is one this class made because it read nothing. */
    public static boolean notRead(ProbeResult r) {
        return r != null && r.health() == Health.UNKNOWN && r.detail().startsWith(NOT_READ);
    }

    private static ProbeResult notRead(String why, Duration latency) {
        return new ProbeResult(Health.UNKNOWN, NOT_READ + why + " (no signal)", latency, null, null, null, null, null);
    }

    private static String key(Target t) {
        Kind k = t.kind();
        return k.service() + "|" + t.region() + "|" + t.projectId() + "|" + t.resourceId();
    }
}
