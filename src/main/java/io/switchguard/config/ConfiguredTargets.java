package io.switchguard.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * The targets as configured: every {@code switchguard.targets.<name>.*} key (CONTRACT §3) from any source
 * (application.yaml, QUARKUS_CONFIG_LOCATIONS files, system properties; environment variables override a key a
 * file names).
 *
 * <p>Read here rather than as a mapped map of groups, because SmallRye builds each group of such a map by walking
 * every property name, which made startup quadratic in the number of targets: minutes at 10,000 (issue #13). Here
 * the keys the mapping collected ({@link SwitchguardConfig#targetKeys()}) are grouped by name in one pass, and each
 * target's keys are looked up directly, converted as the mapping would.
 */
@ApplicationScoped
public class ConfiguredTargets {

    private static final String PREFIX = "switchguard.targets.";

    /** Every key a target takes after switchguard.targets.&lt;name&gt;. (CONTRACT §3, and ours). */
    public static final Set<String> KEYS = Set.of("kind", "region", "project-id", "instance-id", "job-id",
            "disaster-recovery-id", "auto", "approval.timeout", "approval.on-timeout", "group", "cooldown",
            "max-data-loss", "mode", "probe.redis", "probe.tcp", "probe.http", "probe.standby", "probe.user",
            "probe.password", "probe.tls", "probe.cloud", "probe.fast", "probe.recovery-threshold", "probe.interval",
            "probe.timeout", "probe.failure-threshold", "probe.max-lag");

    private final Map<String, TargetSettings> byName;
    private final List<String> problems;

    public ConfiguredTargets(SwitchguardConfig mapping, Config config) {
        Set<String> names = new HashSet<>();
        Set<String> withProbe = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String key : mapping.targetKeys().keySet()) {
            String[] split = split(key);
            if (split == null) {
                // A misspelt key would otherwise be ignored without a word, as SmallRye refuses unmapped ones.
                unknown.add(PREFIX + key + ": unknown key (a target takes " + String.join(", ", new TreeSet<>(KEYS))
                        + ")");
                continue;
            }
            names.add(split[0]);
            if (split[1].startsWith("probe.")) {
                withProbe.add(split[0]);
            }
        }
        Reader reader = new Reader(config);
        Map<String, TargetSettings> read = new TreeMap<>();
        names.forEach(name -> read.put(name, reader.target(PREFIX + name + ".", withProbe.contains(name))));
        this.byName = Collections.unmodifiableMap(read);
        unknown.sort(null);
        unknown.addAll(reader.problems);
        this.problems = List.copyOf(unknown);
    }

    /**
     * A collected key as target name and key, or null for no key a target takes. A target named only by environment
     * variables arrives in SmallRye's env form, every '_' a dot (SWITCHGUARD_TARGETS_ORDERS_CACHE_INSTANCE_ID:
     * orders.cache.instance.id): its key is the known one it ends with, and its name the rest, dots back to dashes
     * (names have no dots).
     */
    private static String[] split(String key) {
        int end = key.indexOf('.');
        if (end > 0 && KEYS.contains(key.substring(end + 1))) {
            return new String[] {key.substring(0, end), key.substring(end + 1)};
        }
        String[] best = null;
        for (String k : KEYS) {
            String dotted = "." + k.replace('-', '.');
            if (key.endsWith(dotted) && key.length() > dotted.length() && (best == null || k.length() > best[1].length())) {
                best = new String[] {key.substring(0, key.length() - dotted.length()).replace('.', '-'), k};
            }
        }
        return best;
    }

    /** By name, in name order. */
    public Map<String, TargetSettings> byName() {
        return byName;
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Unknown keys and values not of their key's type, each naming its key; StartupCheck refuses to start on any. */
    public List<String> problems() {
        return problems;
    }

    /** Looks each key up once, with the defaults the contract gives, noting values that do not convert. */
    private static final class Reader {

        private final Config config;
        private final List<String> problems = new ArrayList<>();

        Reader(Config config) {
            this.config = config;
        }

        TargetSettings target(String key, boolean probeKeys) {
            return new TargetSettings(text(key + "kind"), text(key + "region"), text(key + "project-id"),
                    text(key + "instance-id"), text(key + "job-id"), text(key + "disaster-recovery-id"),
                    text(key + "auto").orElse("false"),
                    new TargetSettings.Approval(duration(key + "approval.timeout", Duration.ofMinutes(10)),
                            text(key + "approval.on-timeout").orElse("give-up")),
                    text(key + "group"), probe(key + "probe.", probeKeys),
                    duration(key + "cooldown", Duration.ofMinutes(15)), value(key + "max-data-loss", Duration.class),
                    text(key + "mode"));
        }

        private Optional<TargetSettings.Probe> probe(String key, boolean probeKeys) {
            TargetSettings.Probe probe = new TargetSettings.Probe(text(key + "redis"), text(key + "tcp"), text(key + "http"),
                    text(key + "standby"), text(key + "user"), text(key + "password"),
                    value(key + "tls", Boolean.class).orElse(false), value(key + "cloud", Boolean.class).orElse(true),
                    value(key + "fast", Boolean.class).orElse(false),
                    value(key + "recovery-threshold", Integer.class).orElse(2),
                    duration(key + "interval", Duration.ofSeconds(10)), duration(key + "timeout", Duration.ofSeconds(2)),
                    value(key + "failure-threshold", Integer.class).orElse(3), text(key + "max-lag"));
            // An environment variable alone can give a file's target its data plane: its name is not a dotted key.
            boolean plane = probe.redis().isPresent() || probe.tcp().isPresent() || probe.http().isPresent()
                    || probe.standby().isPresent();
            return probeKeys || plane ? Optional.of(probe) : Optional.empty();
        }

        private Optional<String> text(String key) {
            return value(key, String.class);
        }

        private Duration duration(String key, Duration otherwise) {
            return value(key, Duration.class).orElse(otherwise);
        }

        private <T> Optional<T> value(String key, Class<T> type) {
            try {
                return config.getOptionalValue(key, type);
            } catch (IllegalArgumentException | NoSuchElementException e) {
                // A value of the wrong type: named with its key, like every other configuration mistake.
                problems.add(key + ": " + e.getMessage());
                return Optional.empty();
            }
        }
    }
}
