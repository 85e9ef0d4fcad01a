package io.switchguard.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a configuration can get wrong that the type system does not catch, each problem naming its key.
 * Pure: {@link #problems} is tested without starting Quarkus.
 */
public final class ConfigValidator {

    /** Target names and cloud ids (CONTRACT §4). */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** Budget group names: short, so the brake's row key ("group:" + name) fits its column. */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9-]{1,32}");
    private static final Set<String> PROVIDERS = Set.of("huaweicloud", "otc", "sandbox");
    private static final Set<String> SERVICES = Set.of("dcs", "drs", "dws", "smn", "iam");
    private static final Set<String> DRS_MODES = Set.of("source", "target");
    /** auto: approve: the policy decides, an operator approves (issue #16 part 2). */
    public static final String APPROVE = "approve";
    private static final Set<String> AUTO_MODES = Set.of("true", "false", APPROVE);
    private static final Set<String> ON_TIMEOUT = Set.of("act", "give-up");
    private static final Pattern HOST_PORT = Pattern.compile("\\[?[A-Za-z0-9.:-]+]?:\\d{1,5}");

    private ConfigValidator() {}

    public static List<String> problems(SwitchguardConfig config, ConfiguredTargets targets, boolean sandbox) {
        List<String> problems = new ArrayList<>();
        SwitchguardConfig.Cloud cloud = config.cloud();
        if (!PROVIDERS.contains(cloud.provider())) {
            problems.add("switchguard.cloud.provider: '" + cloud.provider() + "' is not one of huaweicloud, otc, sandbox");
        }
        if (cloud.ak().isPresent() != cloud.sk().isPresent()) {
            problems.add("switchguard.cloud." + (cloud.ak().isPresent() ? "sk" : "ak") + ": set both ak and sk, or neither");
        }
        positive(problems, "switchguard.cloud.connect-timeout", cloud.connectTimeout());
        positive(problems, "switchguard.cloud.read-timeout", cloud.readTimeout());
        cloud.endpoints().forEach((service, url) -> {
            if (!SERVICES.contains(service)) {
                problems.add("switchguard.cloud.endpoints." + service + ": unknown service (dcs, drs, dws, smn, iam)");
            } else if (!httpUrl(url)) {
                problems.add("switchguard.cloud.endpoints." + service + ": '" + url + "' is not an http(s) URL");
            }
        });
        if (!sandbox && config.api().keys().map(String::isBlank).orElse(true)) {
            problems.add("switchguard.api.keys: no API key configured; set SWITCHGUARD_API_KEYS, or 'none' to run "
                    + "without authentication (not recommended)");
        }
        config.notifications().webhook().filter(url -> !httpUrl(url)).ifPresent(url ->
                problems.add("switchguard.notify.webhook: '" + url + "' is not an http(s) URL"));
        if (!config.store().url().startsWith("jdbc:h2:") && !config.store().url().startsWith("jdbc:postgresql:")) {
            problems.add("switchguard.store.url: only jdbc:h2: and jdbc:postgresql: URLs are supported");
        }
        positive(problems, "switchguard.store.lease-ttl", config.store().leaseTtl());
        if (config.store().shards() < 1 || config.store().shards() > 4096) {
            problems.add("switchguard.store.shards: must be between 1 and 4096, was " + config.store().shards());
        }
        positive(problems, "switchguard.check.pause-reminder", config.check().pauseReminder());
        positive(problems, "switchguard.budget.window", config.budget().window());
        positive(problems, "switchguard.preflight.interval", config.preflight().interval());
        if (config.budget().maxAutomatic() < 1) {
            problems.add("switchguard.budget.max-automatic: must be at least 1 (switch the budget off with"
                    + " switchguard.budget.enabled: false)");
        }
        config.budget().groups().forEach((group, g) -> {
            String key = "switchguard.budget.groups." + group;
            if (!GROUP.matcher(group).matches()) {
                problems.add(key + ": group names must match [A-Za-z0-9-]{1,32}");
            }
            g.maxAutomatic().filter(n -> n < 1).ifPresent(n -> problems.add(key + ".max-automatic: must be at least 1"));
            g.window().ifPresent(w -> positive(problems, key + ".window", w));
        });
        targets.byName().forEach((name, target) -> {
            target(problems, name, target, sandbox, cloud.endpoints());
            target.group().filter(g -> !config.budget().groups().containsKey(g)).ifPresent(g -> problems.add(
                    "switchguard.targets." + name + ".group: no budget for group '" + g + "' (set"
                            + " switchguard.budget.groups." + g + ".max-automatic)"));
        });
        return problems;
    }

    private static void target(List<String> problems, String name, TargetSettings t, boolean sandbox,
            Map<String, String> endpoints) {
        String key = "switchguard.targets." + name;
        if (!ID.matcher(name).matches()) {
            problems.add(key + ": target names must match [A-Za-z0-9-]{1,64}");
        }
        if (t.kind().isEmpty()) {
            problems.add(key + ".kind: required (dcs, dcs-v1, drs, dws)");
            return;
        }
        Optional<Kind> kind = Kind.parse(t.kind().get());
        if (kind.isEmpty()) {
            problems.add(key + ".kind: unknown kind '" + t.kind().get() + "' (dcs, dcs-v1, drs, dws)");
            return;
        }
        id(problems, key + ".project-id", t.projectId());
        id(problems, key + "." + kind.get().resourceKey(), resourceId(kind.get(), t));
        if (!sandbox && t.region().isEmpty() && !endpoints.containsKey(kind.get().service())) {
            problems.add(key + ".region: required to reach the " + kind.get().service() + " endpoint");
        }
        if (kind.get() == Kind.DRS) {
            if (t.mode().isEmpty()) {
                // A manual /switch-vip may carry the mode (CONTRACT §4); the checker has no caller to ask.
                if (!"false".equals(autoMode(t))) {
                    problems.add(key + ".mode: a drs target with auto: true needs mode: source or target");
                }
            } else if (!DRS_MODES.contains(t.mode().get())) {
                problems.add(key + ".mode: '" + t.mode().get() + "' is not source or target");
            }
        } else if (t.mode().isPresent()) {
            problems.add(key + ".mode: only drs targets take a mode");
        }
        if (!AUTO_MODES.contains(autoMode(t))) {
            problems.add(key + ".auto: '" + t.auto() + "' is not true, false or approve");
        }
        if (!ON_TIMEOUT.contains(t.approval().onTimeout())) {
            problems.add(key + ".approval.on-timeout: '" + t.approval().onTimeout() + "' is not act or give-up");
        }
        positive(problems, key + ".approval.timeout", t.approval().timeout());
        if (t.cooldown().isNegative()) {
            problems.add(key + ".cooldown: must not be negative");
        }
        t.maxDataLoss().ifPresent(d -> positive(problems, key + ".max-data-loss", d));
        t.probe().ifPresent(p -> probe(problems, key + ".probe", kind.get(), p));
    }

    private static void probe(List<String> problems, String key, Kind kind, TargetSettings.Probe p) {
        int planes = (p.redis().isPresent() ? 1 : 0) + (p.tcp().isPresent() ? 1 : 0) + (p.http().isPresent() ? 1 : 0);
        if (planes > 1) {
            problems.add(key + ": set one of redis, tcp, http");
        }
        p.redis().filter(a -> !HOST_PORT.matcher(a).matches())
                .ifPresent(a -> problems.add(key + ".redis: '" + a + "' is not host:port"));
        p.tcp().filter(a -> !HOST_PORT.matcher(a).matches())
                .ifPresent(a -> problems.add(key + ".tcp: '" + a + "' is not host:port"));
        p.http().filter(u -> !httpUrl(u)).ifPresent(u -> problems.add(key + ".http: '" + u + "' is not an http(s) URL"));
        if (p.fast() && p.redis().isEmpty()) {
            problems.add(key + ".fast: needs a redis data plane (it keeps one connection to it)");
        }
        // Fast mode probes on a kept connection, so a short interval costs no connects: down to 100 ms.
        Duration least = p.fast() ? Duration.ofMillis(100) : Duration.ofSeconds(1);
        if (p.interval().compareTo(least) < 0) {
            problems.add(key + ".interval: must be at least " + (p.fast() ? "100ms with fast: true" : "1s"));
        }
        positive(problems, key + ".timeout", p.timeout());
        if (p.failureThreshold() < 1) {
            problems.add(key + ".failure-threshold: must be at least 1");
        }
        p.maxLag().ifPresent(lag -> {
            boolean bytes = kind == Kind.DCS || kind == Kind.DCS_V1;
            if (bytes ? Sizes.parseBytes(lag) < 0 : parseDuration(lag) == null) {
                problems.add(key + ".max-lag: '" + lag + "' is not a " + (bytes ? "size such as 64MB" : "duration such as 30s"));
            }
        });
    }

    /** The auto key as written, trimmed and lower-cased: true, false, approve (or a mistake the validator names). */
    public static String autoMode(TargetSettings t) {
        return t.auto().trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** The kind's own key (job-id, disaster-recovery-id), with instance-id accepted for every kind. */
    public static Optional<String> resourceId(Kind kind, TargetSettings t) {
        Optional<String> own = switch (kind) {
            case DRS -> t.jobId();
            case DWS -> t.disasterRecoveryId();
            default -> Optional.empty();
        };
        return own.isPresent() ? own : t.instanceId();
    }

    /** Durations as in the configuration: 30s, 5m, 1h, 250ms, or ISO-8601 (PT30S). Null when not one. */
    public static Duration parseDuration(String text) {
        String s = text.trim();
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s);
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static void id(List<String> problems, String key, Optional<String> value) {
        if (value.isEmpty()) {
            problems.add(key + ": required");
        } else if (!ID.matcher(value.get()).matches()) {
            problems.add(key + ": '" + value.get() + "' must match [A-Za-z0-9-]{1,64}");
        }
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problems.add(key + ": must be positive");
        }
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = URI.create(url.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
