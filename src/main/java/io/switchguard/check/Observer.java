package io.switchguard.check;

import io.switchguard.cloud.CloudAuth;
import io.switchguard.cloud.CloudClient;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Takes one observation of a target: its data-plane, standby and cloud signals, run at once, each bounded by
 * the target's probe timeout, so one slow or dead target never delays another. Keeps the latest observation
 * of each target for the isolation check and for manual-switchover guards.
 */
@ApplicationScoped
public class Observer {

    /** What the cycle saw; cloudApiFailed tells "the cloud could not be asked" from "the cloud says down". */
    public record Seen(Observation observation, boolean cloudApiFailed) {}

    private final CloudClient cloud;
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

    public Observer(CloudClient cloud, CloudAuth auth, SwitchguardConfig config, Clock clock) {
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
        Duration timeout = spec.timeout();
        CompletableFuture<ProbeResult> dataPlane = run(Probes.dataPlane(spec).orElse(null), timeout);
        CompletableFuture<ProbeResult> standby = run(Probes.standby(spec).orElse(null), timeout);
        // The cloud status takes up to two calls; give it the cloud's own timeouts, not the data-plane one.
        Duration cloudTimeout = config.cloud().connectTimeout().plus(config.cloud().readTimeout()).multipliedBy(2);
        CompletableFuture<ProbeResult> cloudStatus = run(spec.cloud() ? new CloudStatusProbe(cloud, target,
                config.check()) : null, cloudTimeout);
        ProbeResult cloudResult = cloudStatus.join();
        boolean apiFailed = cloudResult != null && !cloudResult.up()
                && cloudResult.detail().startsWith(CloudStatusProbe.API_FAILED);
        // An unanswered status API says nothing about the target: it is no signal, never a confirmation.
        Observation observation = new Observation(clock.instant(), dataPlane.join(), apiFailed ? null : cloudResult,
                standby.join());
        Seen seen = new Seen(observation, apiFailed);
        latest.put(target.name(), seen);
        return seen;
    }

    public Optional<Seen> latest(String target) {
        return Optional.ofNullable(latest.get(target));
    }

    public Map<String, Seen> latest() {
        return Map.copyOf(latest);
    }

    private CompletableFuture<ProbeResult> run(Probe probe, Duration timeout) {
        if (probe == null) {
            return CompletableFuture.completedFuture(null);
        }
        Duration margin = timeout.plusMillis(500);
        return CompletableFuture.supplyAsync(auth.propagate(() -> {
            try {
                if (!permits.tryAcquire(margin.toMillis(), TimeUnit.MILLISECONDS)) {
                    return ProbeResult.down(probe.describe() + ": no probe slot free in time", margin);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ProbeResult.down(probe.describe() + ": interrupted", Duration.ZERO);
            }
            try {
                return probe.probe();
            } finally {
                permits.release();
            }
        }), pool).completeOnTimeout(ProbeResult.down(probe.describe() + ": no answer within " + margin.toMillis()
                + " ms", margin), margin.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
}
