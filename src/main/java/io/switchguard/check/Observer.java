package io.switchguard.check;

import io.switchguard.cloud.CloudAuth;
import io.switchguard.cloud.CloudClient;
import io.switchguard.config.ProbeSpec;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.policy.Observation;
import io.switchguard.probe.AsyncProbe;
import io.switchguard.probe.Net;
import io.switchguard.probe.Probe;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.Probes;
import io.switchguard.probe.RedisProbe;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Takes one observation of a target: its data-plane, standby and cloud signals, run at once, each bounded by
 * the target's probe timeout, so one slow or dead target never delays another. Data-plane and standby probes run
 * on the event loop (no thread each); the cloud status, a blocking API call, runs on a worker holding one of a
 * bounded number of slots. Keeps the latest observation of each target for the isolation check and /status; a
 * manual call's guard always takes a new one.
 */
@ApplicationScoped
public class Observer {

    /**
     * What the cycle saw. cloudApiFailed tells "the cloud could not be asked" from "the cloud says down". notRun
     * names the probes that did not run or did not finish (no probe slot free in time, no answer within the
     * bound, an answer the checker's own busy event loop made late): the checker's own trouble, no signal about the
     * target. They are left out of the observation, a missed data-plane probe (or the cloud status standing in for
     * one) empties it, and the checker counts them as "cannot trust its own view".
     */
    public record Seen(Observation observation, boolean cloudApiFailed, List<String> notRun) {

        public Seen {
            notRun = List.copyOf(notRun);
        }

        public boolean complete() {
            return notRun.isEmpty();
        }
    }

    /** A probe's result, or why the observer has none (null result). */
    private record Outcome(ProbeResult result, String notRun) {

        static final Outcome NONE = new Outcome(null, null);
    }

    /** A target's own event-loop probes, made once: a fast-mode data plane keeps its connection between probes. */
    private record Kept(ProbeSpec spec, AsyncProbe dataPlane, AsyncProbe standby) {

        void close() {
            Stream.of(dataPlane, standby).filter(Objects::nonNull).forEach(AsyncProbe::close);
        }
    }

    /**
     * How much later than its timeout a probe may end before its lateness is the checker's: a timer that fired this
     * late ran on an event loop too busy to keep time, so a "timed out" from it says nothing about the target.
     */
    static final Duration LATE = Duration.ofMillis(250);

    private final CloudClient cloud;
    private final CloudAuth auth;
    private final SwitchguardConfig config;
    private final Clock clock;
    private final Net net;
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private volatile Consumer<String> lost = name -> { };
    private final Semaphore permits;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "probe");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public Observer(CloudClient cloud, CloudAuth auth, SwitchguardConfig config, Clock clock, Net net) {
        this.cloud = cloud;
        this.auth = auth;
        this.config = config;
        this.clock = clock;
        this.net = net;
        this.permits = new Semaphore(Math.max(1, config.check().concurrency()) * 3);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
        kept.values().forEach(Kept::close);
    }

    /** The probes' network, for probes of one's own (a drill's samples). */
    public Net net() {
        return net;
    }

    /** Told the name of a fast-mode target whose kept connection the server closed between probes. */
    public void onLost(Consumer<String> listener) {
        this.lost = Objects.requireNonNull(listener, "listener");
    }

    /** Waits for {@link #observeAsync}: a manual call's guard, the FaaS cycle. */
    public Seen observe(Target target) {
        return observeAsync(target).join();
    }

    public CompletableFuture<Seen> observeAsync(Target target) {
        ProbeSpec spec = target.probe();
        // The start of the probes: what "one counted probe per interval" is measured on.
        Instant at = clock.instant();
        Duration timeout = spec.timeout();
        Kept probes = probes(target);
        CompletableFuture<Outcome> dataPlane = onLoop(probes.dataPlane(), timeout);
        CompletableFuture<Outcome> standby = onLoop(probes.standby(), timeout);
        CompletableFuture<Outcome> cloudStatus = blocking(spec.cloud() ? cloudProbe(target) : null, cloudTimeout());
        return CompletableFuture.allOf(dataPlane, standby, cloudStatus).thenApply(all -> {
            Outcome cloudOutcome = cloudStatus.join();
            ProbeResult cloudResult = cloudOutcome.result();
            boolean apiFailed = apiFailed(cloudResult);
            Outcome dp = dataPlane.join();
            Outcome sb = standby.join();
            List<String> notRun = Stream.of(dp, sb, cloudOutcome).map(Outcome::notRun).filter(Objects::nonNull).toList();
            // The primary signal is the data plane, or the cloud status when no data-plane probe is configured.
            boolean primaryMissing = dp.notRun() != null || (probes.dataPlane() == null && cloudOutcome.notRun() != null);
            // An unanswered status API says nothing about the target: it is no signal, never a confirmation.
            Observation observation = primaryMissing ? new Observation(at, null, null, null)
                    : new Observation(at, dp.result(), apiFailed ? null : cloudResult, sb.result());
            Seen seen = new Seen(observation, apiFailed, notRun);
            latest.put(target.name(), seen);
            return seen;
        });
    }

    /** The target's event-loop probes, made at its first observation and again only if its probe section changed. */
    private Kept probes(Target target) {
        ProbeSpec spec = target.probe();
        Kept current = kept.get(target.name());
        if (current != null && current.spec().equals(spec)) {
            return current;
        }
        AsyncProbe dataPlane = Probes.dataPlane(net, spec).orElse(null);
        if (dataPlane instanceof RedisProbe redis && redis.persistent()) {
            String name = target.name();
            redis.onLost(() -> lost.accept(name));
        }
        Kept made = new Kept(spec, dataPlane, Probes.standby(net, spec).orElse(null));
        Kept before = kept.put(target.name(), made);
        if (before != null) {
            before.close();
        }
        return made;
    }
    /**
     * The cloud's status of a target now, for a manual call's data-loss guard on a target without a probe section.
     * Empty when the status could not be read (not asked, not answered, no slot): the guard then has no measure.
     */
    public Optional<ProbeResult> cloudStatus(Target target) {
        ProbeResult r = blocking(cloudProbe(target), cloudTimeout()).join().result();
        return r == null || apiFailed(r) ? Optional.empty() : Optional.of(r);
    }

    private Probe cloudProbe(Target target) {
        return new CloudStatusProbe(cloud, target, config.check());
    }

    /** The cloud status takes up to two calls; give it the cloud's own timeouts, not the data-plane one. */
    private Duration cloudTimeout() {
        return config.cloud().connectTimeout().plus(config.cloud().readTimeout()).multipliedBy(2);
    }

    private static boolean apiFailed(ProbeResult r) {
        return r != null && !r.up() && r.detail().startsWith(CloudStatusProbe.API_FAILED);
    }

    public Optional<Seen> latest(String target) {
        return Optional.ofNullable(latest.get(target));
    }

    public Map<String, Seen> latest() {
        return Map.copyOf(latest);
    }

    /**
     * An event-loop probe. It bounds itself; the bound here catches a loop too busy to run its timer at all, and an
     * answer that came late because of it: either is the checker's trouble, not a finding about the target.
     */
    private static CompletableFuture<Outcome> onLoop(AsyncProbe probe, Duration timeout) {
        if (probe == null) {
            return CompletableFuture.completedFuture(Outcome.NONE);
        }
        Duration bound = timeout.plus(LATE);
        return probe.run().toCompletableFuture().thenApply(r -> r.latency() != null && r.latency().compareTo(bound) > 0
                ? new Outcome(null, probe.describe() + ": answered after " + r.latency().toMillis() + " ms, past its "
                        + timeout.toMillis() + " ms timeout: the checker's event loop was late")
                : new Outcome(r, null))
                .completeOnTimeout(new Outcome(null, probe.describe() + ": no answer within " + bound.toMillis() + " ms"),
                        bound.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** A blocking probe (the cloud status), on a worker holding one of the slots. */
    private CompletableFuture<Outcome> blocking(Probe probe, Duration timeout) {
        if (probe == null) {
            return CompletableFuture.completedFuture(Outcome.NONE);
        }
        Duration margin = timeout.plusMillis(500);
        return CompletableFuture.supplyAsync(auth.propagate(() -> {
            try {
                if (!permits.tryAcquire(margin.toMillis(), TimeUnit.MILLISECONDS)) {
                    return new Outcome(null, probe.describe() + ": no probe slot free in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(null, probe.describe() + ": interrupted");
            }
            try {
                return new Outcome(probe.probe(), null);
            } finally {
                permits.release();
            }
        }), pool).completeOnTimeout(new Outcome(null, probe.describe() + ": no answer within " + margin.toMillis()
                + " ms"), margin.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
}
