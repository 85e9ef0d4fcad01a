package io.switchguard.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.probe.Probe;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.ProbeResult.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The cloud's own view of a target, the independent second signal: DCS instance status and the master node's
 * replica status; DRS job status and sync delay; DWS DR status and last sync time. A failing status API is
 * a DOWN result whose detail says so (the policy tells "cloud unreachable" from "cloud says down").
 */
final class CloudStatusProbe implements Probe {

    static final String API_FAILED = "status API failed: ";

    private final CloudClient cloud;
    private final Target target;
    private final SwitchguardConfig.Check fields;

    CloudStatusProbe(CloudClient cloud, Target target, SwitchguardConfig.Check fields) {
        this.cloud = cloud;
        this.target = target;
        this.fields = fields;
    }

    @Override
    public String describe() {
        return "cloud " + target.kind().service() + " status";
    }

    @Override
    public ProbeResult probe() {
        long t0 = System.nanoTime();
        return switch (target.kind()) {
            case DCS, DCS_V1 -> dcs(t0);
            case DRS -> drs(t0);
            case DWS -> dws(t0);
        };
    }

    private ProbeResult dcs(long t0) {
        CloudResponse r = cloud.dcsInstance(target.region(), target.projectId(), target.resourceId());
        JsonNode instance = ok(r);
        if (instance == null) {
            return failed(r, t0);
        }
        String status = status(instance);
        Health meaning = StatusVocabulary.meaning(StatusVocabulary.DCS_INSTANCE, status);
        if (meaning != Health.UP) {
            return result(meaning, "DCS instance status " + quoted(status, instance), t0, null, null);
        }
        CloudResponse g = cloud.dcsGroups(target.region(), target.projectId(), target.resourceId());
        JsonNode groups = ok(g);
        if (groups == null || !groups.isObject()) {
            // Instance RUNNING is still the cloud's word; the node view is a bonus some regions lack.
            return ProbeResult.up("DCS instance RUNNING (node roles unavailable)", since(t0));
        }
        for (JsonNode group : groups.path("group_list")) {
            for (JsonNode node : group.path("replication_list")) {
                if (!"master".equals(node.path("replication_role").asText())) {
                    continue;
                }
                String nodeStatus = node.path("status").asText("");
                Health nodeMeaning = StatusVocabulary.meaning(StatusVocabulary.DCS_NODE, nodeStatus);
                if (nodeMeaning == Health.DOWN || nodeMeaning == Health.TRANSITIONAL) {
                    return result(nodeMeaning, "DCS instance RUNNING, master node " + node.path("node_id").asText()
                            + " is " + nodeStatus, t0, null, null);
                }
            }
        }
        return ProbeResult.up("DCS instance RUNNING, master node Active", since(t0));
    }

    private ProbeResult drs(long t0) {
        List<String> job = List.of(target.resourceId());
        CloudResponse r = cloud.drsBatchStatus(target.region(), target.projectId(), job);
        JsonNode body = ok(r);
        if (body == null) {
            return failed(r, t0);
        }
        JsonNode result = body.path("results").path(0);
        String status = status(result);
        CloudResponse p = cloud.drsBatchProgress(target.region(), target.projectId(), job);
        JsonNode progress = ok(p);
        Duration lag = null;
        if (progress != null) {
            JsonNode delay = progress.path("results").path(0).path(fields.drsLagField());
            if (!delay.isMissingNode() && !delay.asText().isBlank()) {
                try {
                    lag = Duration.ofSeconds(Long.parseLong(delay.asText().trim()));
                } catch (NumberFormatException e) {
                    lag = null;
                }
            }
        }
        return result(StatusVocabulary.meaning(StatusVocabulary.DRS_JOB, status), "DRS job " + quoted(status, result)
                + (lag != null ? ", sync delay " + lag.toSeconds() + "s" : ""), t0, lag, null);
    }

    private ProbeResult dws(long t0) {
        CloudResponse r = cloud.dwsDetail(target.region(), target.projectId(), target.resourceId());
        JsonNode body = ok(r);
        if (body == null) {
            return failed(r, t0);
        }
        JsonNode dr = body.path("disaster_recovery");
        String status = status(dr);
        String primaryStatus = dr.path("primary_cluster").path("status").asText("");
        Instant lastSync = parseTime(dr.path("standby_cluster").path(fields.dwsLastSyncField()).asText(
                dr.path("primary_cluster").path(fields.dwsLastSyncField()).asText("")));
        Health meaning = StatusVocabulary.meaning(StatusVocabulary.DWS_DR, status);
        // A running DR whose primary cluster is abnormal: the cloud says the primary is down.
        if (meaning == Health.UP && StatusVocabulary.DWS_CLUSTER_DOWN.equalsIgnoreCase(primaryStatus)) {
            meaning = Health.DOWN;
        }
        return result(meaning, "DWS DR " + quoted(status, dr) + ", primary cluster " + primaryStatus, t0, null,
                lastSync);
    }

    private static String status(JsonNode node) {
        JsonNode s = node.path("status");
        return s.isTextual() ? s.asText() : null;
    }

    /** The status as reported, or why there is none (an answer that is not JSON, or has no status). */
    private static String quoted(String status, JsonNode from) {
        if (status != null) {
            return status.isBlank() ? "(empty)" : status;
        }
        return from.isMissingNode() ? "(answer without a readable status)" : "(no status)";
    }

    private static ProbeResult result(Health health, String detail, long t0, Duration lag, Instant lastSync) {
        String text = switch (health) {
            case UP, DOWN -> detail;
            case TRANSITIONAL -> detail + ": the cloud is busy with it (no confirmation, no automatic action)";
            case UNKNOWN -> detail + ": not in the status vocabulary (no signal)";
        };
        return new ProbeResult(health, text, since(t0), null, null, null, lag, lastSync);
    }

    private static JsonNode ok(CloudResponse r) {
        return r instanceof CloudResponse.Answered a && a.ok() ? a.body() : null;
    }

    private static ProbeResult failed(CloudResponse r, long t0) {
        String why = r instanceof CloudResponse.Answered a
                ? "HTTP " + a.status() + (a.error() != null ? " " + a.error().message() : "")
                : r instanceof CloudResponse.NotSent n ? n.reason() : ((CloudResponse.NoAnswer) r).reason();
        return ProbeResult.down(API_FAILED + why, since(t0));
    }

    /** ISO-8601 with or without offset, "yyyy-MM-dd HH:mm:ss" (UTC), or epoch milliseconds; null if none. */
    static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        try {
            if (s.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(s));
            }
            if (s.endsWith("Z")) {
                return Instant.parse(s);
            }
            if (s.length() > 19 && (s.charAt(19) == '+' || s.charAt(19) == '-' || s.charAt(19) == '.')) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
