package io.switchguard.check;

import io.switchguard.config.ProbeSpec;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Takes one observation of a target: its data-plane, standby and cloud signals, run at once, the probes bounded by
 * the target's probe timeout, so one slow or dead target never delays another. Data-plane and standby probes run on
 * the event loop (no thread each); the cloud status comes from {@link CloudSignals} (its own threads and bound,
 * reused within the interval), waited for no longer than the probes. Keeps the latest observation of each target for
 * the isolation check and /status; a manual call's guard always takes a new one.
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

    private final CloudSignals cloud;
    private final Clock clock;
    private final Net net;
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private volatile Consumer<String> lost = name -> { };

    @Inject
    public Observer(CloudSignals cloud, Clock clock, Net net) {
        this.cloud = cloud;
        this.clock = clock;
        this.net = net;
    }

    @PreDestroy
    void stop() {
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

    /** Waits for {@link #observeAsync}: the FaaS cycle, /check. */
    public Seen observe(Target target) {
        return observeAsync(target).join();
    }

    /** One observation with the cloud status read anew: a manual call's guard judges the state as it is now. */
    public Seen observeNow(Target target) {
        return observeAsync(target, true).join();
    }

    /** One observation; the cloud status read within the target's interval is reused (issue 13 item 3). */
    public CompletableFuture<Seen> observeAsync(Target target) {
        return observeAsync(target, false);
    }

    private CompletableFuture<Seen> observeAsync(Target target, boolean now) {
        ProbeSpec spec = target.probe();
        // The start of the probes: what "one counted probe per interval" is measured on.
        Instant at = clock.instant();
        Duration timeout = spec.timeout();
        Kept probes = probes(target);
        CompletableFuture<Outcome> dataPlane = onLoop(probes.dataPlane(), timeout);
        CompletableFuture<Outcome> standby = onLoop(probes.standby(), timeout);
        // The cloud read runs on its own threads with its own bound: beside a data plane it is waited for no longer
        // than the data-plane probe itself may take; alone it is the primary signal and gets its whole bound.
        CompletableFuture<Outcome> cloudStatus = !spec.cloud() ? CompletableFuture.completedFuture(Outcome.NONE)
                : bounded(now ? cloud.fresh(target) : cloud.read(target), probes.dataPlane() != null
                        ? cloud.wait(target).plusMillis(500) : cloud.timeout().plusMillis(500), target);
        return CompletableFuture.allOf(dataPlane, standby, cloudStatus).thenApply(all -> {
            Outcome cloudOutcome = cloudStatus.join();
            ProbeResult cloudResult = cloudOutcome.result();
            boolean apiFailed = CloudReading.apiFailed(cloudResult);
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
        ProbeResult r = cloud.fresh(target).join();
        return CloudReading.apiFailed(r) || CloudSignals.notRead(r) ? Optional.empty() : Optional.of(r);
    }

    /** The cloud read's result if it comes within {@code wait}; else why not (the read goes on, for the next cycle). */
    private static CompletableFuture<Outcome> bounded(CompletableFuture<ProbeResult> read, Duration wait,
            Target target) {
        return read.thenApply(r -> new Outcome(r, null)).completeOnTimeout(new Outcome(null, "cloud "
                + target.kind().service() + " status: no answer in time for this "
                + "observation (the read goes on)"),
                Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    public Optional<Seen> latest(String target) {
        return Optional.ofNullable(latest.get(target));
    }

    /**
     * Every target's latest view, live and unmodifiable: read once per decided batch, where a copy of 10,000
     * entries per batch was most of the deciding thread's work.
     */
    public java.util.Collection<Seen> views() {
        return java.util.Collections.unmodifiableCollection(latest.values());
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
}
