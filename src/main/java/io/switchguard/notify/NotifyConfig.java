package io.switchguard.notify;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the notify keys mean once combined: the sinks, SMN's region and project, the source; and what is wrong. */
public final class NotifyConfig {

    private static final String KEY = "switchguard.notify.";

    private NotifyConfig() {}

    /** The simulator's topic that the sandbox publishes to when no topic is configured. */
    public static final String SANDBOX_TOPIC = "urn:smn:sandbox-1:" + Targets.DEMO_PROJECT + ":switchguard";

    /** The configured sinks, in a fixed order: webhook, smn. */
    public static List<String> sinks(SwitchguardConfig.Notify n, boolean sandbox) {
        List<String> sinks = new ArrayList<>();
        if (n.webhook().filter(s -> !s.isBlank()).isPresent()) {
            sinks.add(Sink.WEBHOOK);
        }
        if (smnTopic(n, sandbox).isPresent()) {
            sinks.add(Sink.SMN);
        }
        return sinks;
    }

    /** smn.topic-urn; in the sandbox without one (and sandbox-smn on), the simulator's topic. */
    public static Optional<String> smnTopic(SwitchguardConfig.Notify n, boolean sandbox) {
        Optional<String> configured = n.smn().topicUrn().filter(s -> !s.isBlank());
        if (configured.isPresent() || !sandbox || !n.sandboxSmn()) {
            return configured;
        }
        return Optional.of(SANDBOX_TOPIC);
    }

    /** The source attribute: configured, or /switchguard/&lt;host name&gt;. */
    public static String source(SwitchguardConfig.Notify n) {
        return n.source().orElseGet(() -> "/switchguard/" + hostName());
    }

    /** smn.region, else the URN's region field (urn:smn:REGION:project:topic). */
    public static Optional<String> smnRegion(SwitchguardConfig.Smn smn) {
        return smn.region().or(() -> urnPart(smn.topicUrn(), 2));
    }

    /** smn.project-id, else the URN's project field (urn:smn:region:PROJECT:topic). */
    public static Optional<String> smnProjectId(SwitchguardConfig.Smn smn) {
        return smn.projectId().or(() -> urnPart(smn.topicUrn(), 3));
    }

    /** Every problem of the notify keys, each naming its key. */
    public static List<String> problems(SwitchguardConfig.Notify n) {
        List<String> problems = new ArrayList<>();
        if (n.webhookSecret().isPresent() && n.webhook().isEmpty()) {
            problems.add(KEY + "webhook-secret: set, but there is no switchguard.notify.webhook to sign for");
        }
        n.source().ifPresent(s -> {
            try {
                if (s.isBlank() || URI.create(s).toString().isEmpty()) {
                    problems.add(KEY + "source: must not be empty");
                }
            } catch (IllegalArgumentException e) {
                problems.add(KEY + "source: '" + s + "' is not a URI reference");
            }
        });
        n.smn().topicUrn().ifPresent(urn -> {
            String[] parts = urn.split(":", -1);
            if (parts.length != 5 || !"urn".equals(parts[0]) || !"smn".equals(parts[1])
                    || parts[4].isEmpty()) {
                problems.add(KEY + "smn.topic-urn: '" + urn + "' is not urn:smn:<region>:<project_id>:<topic>");
            } else {
                if (smnRegion(n.smn()).filter(s -> !s.isBlank()).isEmpty()) {
                    problems.add(KEY + "smn.region: required (the topic URN names no region)");
                }
                if (smnProjectId(n.smn()).filter(s -> !s.isBlank()).isEmpty()) {
                    problems.add(KEY + "smn.project-id: required (the topic URN names no project)");
                }
            }
        });
        positive(problems, "connect-timeout", n.connectTimeout());
        positive(problems, "read-timeout", n.readTimeout());
        positive(problems, "first-retry", n.firstRetry());
        positive(problems, "max-backoff", n.maxBackoff());
        positive(problems, "max-age", n.maxAge());
        positive(problems, "poll-interval", n.pollInterval());
        positive(problems, "retention", n.retention());
        if (n.maxBackoff().compareTo(n.firstRetry()) < 0) {
            problems.add(KEY + "max-backoff: " + n.maxBackoff() + " is shorter than first-retry " + n.firstRetry());
        }
        if (n.senders() < 1) {
            problems.add(KEY + "senders: must be at least 1");
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            problems.add(KEY + key + ": must be positive");
        }
    }

    static Optional<String> urnPart(Optional<String> urn, int index) {
        return urn.map(u -> u.split(":", -1)).filter(p -> p.length == 5 && !p[index].isBlank()).map(p -> p[index]);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
