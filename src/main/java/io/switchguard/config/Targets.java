package io.switchguard.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The targets in force: the configured ones, or in the sandbox with none configured, the demo targets.
 * Built after {@link ConfigValidator} passed, so every field here is known to be well-formed.
 */
@ApplicationScoped
public class Targets {

    /** Project of the sandbox's demo targets. */
    public static final String DEMO_PROJECT = "0000000000000000000000000000sbox";

    /** In name order, as /status and the scheduler list them. */
    private final Map<String, Target> byName;
    /**
     * The same targets by name: the scheduler looks every due target up on each tick, and the ordered map's
     * lookup was 5 % of the checker's CPU at 10,000 targets a second.
     */
    private final Map<String, Target> index;
    private final boolean demo;

    public Targets(ConfiguredTargets configured, Mode mode) {
        Map<String, Target> targets = new TreeMap<>();
        configured.byName().forEach((name, t) -> t.kind().flatMap(Kind::parse).ifPresent(kind -> {
            String auto = ConfigValidator.autoMode(t);
            Target.Approval approval = ConfigValidator.APPROVE.equals(auto) ? new Target.Approval(
                    t.approval().timeout(), "act".equals(t.approval().onTimeout())) : null;
            targets.put(name, new Target(name, kind, t.region().orElse(null), t.projectId().orElse(null),
                    ConfigValidator.resourceId(kind, t).orElse(null), t.mode().orElse(null), !"false".equals(auto),
                    t.cooldown(), t.maxDataLoss().orElse(null), t.probe().map(p -> probe(kind, p)).orElse(null),
                    approval, t.group().orElse(null)));
        }));
        this.demo = targets.isEmpty() && mode.sandbox();
        if (demo) {
            demoTargets().forEach(t -> targets.put(t.name(), t));
        }
        this.byName = new java.util.concurrent.ConcurrentSkipListMap<>(targets);
        this.index = new java.util.concurrent.ConcurrentHashMap<>(targets);
    }

    /** True when these are the sandbox's demo targets (no targets configured). */
    public boolean demo() {
        return demo;
    }

    /**
     * The sandbox gives its demo targets data-plane addresses only once its listeners are up, before the
     * checker's first cycle; nothing else changes a target after startup.
     */
    public void replace(Target target) {
        if (!byName.containsKey(target.name())) {
            throw new IllegalArgumentException("no target " + target.name());
        }
        byName.put(target.name(), target);
        index.put(target.name(), target);
    }

    private static ProbeSpec probe(Kind kind, TargetSettings.Probe p) {
        boolean bytes = kind == Kind.DCS || kind == Kind.DCS_V1;
        Long maxLagBytes = bytes ? p.maxLag().map(Sizes::parseBytes).orElse(null) : null;
        Duration maxLag = bytes ? null : p.maxLag().map(ConfigValidator::parseDuration).orElse(null);
        return new ProbeSpec(p.redis().orElse(null), p.standby().orElse(null), p.tcp().orElse(null),
                p.http().orElse(null), p.user().orElse(null), p.password().orElse(null), p.tls(), p.cloud(), p.fast(),
                p.interval(), p.timeout(), p.failureThreshold(), p.recoveryThreshold(), maxLagBytes, maxLag);
    }

    public Optional<Target> find(String name) {
        return Optional.ofNullable(index.get(name));
    }

    public Collection<Target> all() {
        return byName.values();
    }

    /**
     * One target of each kind, so a first run shows the whole loop without writing any configuration: probed
     * every 2 s, acting after 3 failures, cooling down for 1 min. demo-cache acts automatically; the others
     * alert only. The Redis addresses are filled in by the sandbox once its listeners are up.
     */
    static Collection<Target> demoTargets() {
        Duration cooldown = Duration.ofMinutes(1);
        ProbeSpec watch = new ProbeSpec(null, null, null, null, null, null, false, true, false, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 3, 2, 64L << 20, null);
        ProbeSpec cloudOnly = new ProbeSpec(null, null, null, null, null, null, false, true, false, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 3, 2, null, Duration.ofSeconds(30));
        return java.util.List.of(
                new Target("demo-cache", Kind.DCS, "sandbox-1", DEMO_PROJECT,
                        "5560df16-cebf-4473-95c4-d1b573c16e79", null, true, cooldown, null, watch),
                new Target("demo-cache-v1", Kind.DCS_V1, "sandbox-1", DEMO_PROJECT,
                        "7f1c2a90-4b6e-4d0a-9c55-3e8b1d2f6a41", null, false, cooldown, null, watch),
                new Target("demo-db", Kind.DRS, "sandbox-1", DEMO_PROJECT,
                        "8c81a12f-2581-4424-a3ab-70ed874jb201", "source", false, cooldown, Duration.ofMinutes(5),
                        cloudOnly),
                new Target("demo-dw", Kind.DWS, "sandbox-1", DEMO_PROJECT,
                        "e59d6b86-9072-46eb-a996-13f8b44994c1", null, false, cooldown, Duration.ofMinutes(5),
                        cloudOnly));
    }
}
