package io.switchguard.check;

import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.ProbeSpec;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.policy.Observation;
import io.switchguard.probe.Probe;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.Probes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.stream.Stream;

/**
 * Takes one observation of a target: its data-plane, standby and cloud signals, run at once, each bounded by
 * the target's probe timeout, so one slow or dead target never delays another. Keeps the latest observation
 * of each target for the isolation check and /status; a manual call's guard always takes a new one.
 */
@ApplicationScoped
public class Observer {

    /**
     * What the cycle saw. cloudApiFailed tells "the cloud could not be asked" from "the cloud says down". notRun
     * names the probes that did not run or did not finish (no probe slot free in time, no answer within the
     * bound): the checker's own trouble, no signal about the target. They are left out of the observation, a
     * missed data-plane probe (or the cloud status standing in for one) empties it, and the checker counts them
     * as "cannot trust its own view".
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

    private final CloudStatusReaders cloud;
    private final CloudAuth auth;
    private final SwitchguardConfig config;
    private final Clock clock;
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "probe");
        t.setDaemon(true);
        return t;
    });

    public Observer(CloudStatusReaders cloud, CloudAuth auth, SwitchguardConfig config, Clock clock) {
        this.cloud = cloud;
        this.auth = auth;
        this.config = config;
        this.clock = clock;
        this.permits = new Semaphore(Math.max(1, config.check().concurrency()) * 3);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    public Seen observe(Target target) {
        ProbeSpec spec = target.probe();
        // The start of the probes: what "one counted probe per interval" is measured on.
        Instant at = clock.instant();
        Duration timeout = spec.timeout();
        CompletableFuture<Outcome> dataPlane = run(Probes.dataPlane(spec).orElse(null), timeout);
        CompletableFuture<Outcome> standby = run(Probes.standby(spec).orElse(null), timeout);
        CompletableFuture<Outcome> cloudStatus = run(spec.cloud() ? cloudProbe(target) : null, cloudTimeout());
        Outcome cloudOutcome = cloudStatus.join();
        ProbeResult cloudResult = cloudOutcome.result();
        boolean apiFailed = CloudReading.apiFailed(cloudResult);
        Outcome dp = dataPlane.join();
        Outcome sb = standby.join();
        List<String> notRun = Stream.of(dp, sb, cloudOutcome).map(Outcome::notRun).filter(Objects::nonNull).toList();
        // The primary signal is the data plane, or the cloud status when no data-plane probe is configured.
        boolean primaryMissing = dp.notRun() != null
                || (Probes.dataPlane(spec).isEmpty() && cloudOutcome.notRun() != null);
        // An unanswered status API says nothing about the target: it is no signal, never a confirmation.
        Observation observation = primaryMissing ? new Observation(at, null, null, null)
                : new Observation(at, dp.result(), apiFailed ? null : cloudResult, sb.result());
        Seen seen = new Seen(observation, apiFailed, notRun);
        latest.put(target.name(), seen);
        return seen;
    }

    /**
     * The cloud's status of a target now, for a manual call's data-loss guard on a target without a probe section.
     * Empty when the status could not be read (not asked, not answered, no slot): the guard then has no measure.
     */
    public Optional<ProbeResult> cloudStatus(Target target) {
        ProbeResult r = run(cloudProbe(target), cloudTimeout()).join().result();
        return r == null || CloudReading.apiFailed(r) ? Optional.empty() : Optional.of(r);
    }

    private Probe cloudProbe(Target target) {
        return cloud.probe(target);
    }

    /** The cloud status takes up to two calls; give it the cloud's own timeouts, not the data-plane one. */
    private Duration cloudTimeout() {
        return config.cloud().connectTimeout().plus(config.cloud().readTimeout()).multipliedBy(2);
    }

    public Optional<Seen> latest(String target) {
        return Optional.ofNullable(latest.get(target));
    }

    public Map<String, Seen> latest() {
        return Map.copyOf(latest);
    }

    private CompletableFuture<Outcome> run(Probe probe, Duration timeout) {
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
