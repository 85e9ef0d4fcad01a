package io.switchguard.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.probe.Probe;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * The cloud's own view of a target, the independent second signal: DCS instance status and the master node's
 * replica status; DRS job status and sync delay; DWS DR status and last sync time. A failing status API is
 * a DOWN result whose detail says so (the policy tells "cloud unreachable" from "cloud says down").
 */
final class CloudStatusProbe implements Probe {

    /** DRS states of a healthy running replication (reference §4b). */
    private static final Set<String> DRS_HEALTHY = Set.of("INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED",
            "FULL_TRANSFER_COMPLETE", "CHILD_TRANSFER_STARTED");
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
        String status = instance.path("status").asText("");
        if (!"RUNNING".equals(status)) {
            return ProbeResult.down("DCS instance status " + status, since(t0));
        }
        CloudResponse g = cloud.dcsGroups(target.region(), target.projectId(), target.resourceId());
        JsonNode groups = ok(g);
        if (groups == null) {
            // Instance RUNNING is still the cloud's word; the node view is a bonus some regions lack.
            return ProbeResult.up("DCS instance RUNNING (node roles unavailable)", since(t0));
        }
        for (JsonNode group : groups.path("group_list")) {
            for (JsonNode node : group.path("replication_list")) {
                if ("master".equals(node.path("replication_role").asText())
                        && !"Active".equalsIgnoreCase(node.path("status").asText("Active"))) {
                    return ProbeResult.down("DCS master node " + node.path("node_id").asText() + " is "
                            + node.path("status").asText(), since(t0));
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
        String status = body.path("results").path(0).path("status").asText("");
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
        boolean healthy = DRS_HEALTHY.contains(status);
        return new ProbeResult(healthy ? ProbeResult.Health.UP : ProbeResult.Health.DOWN,
                "DRS job " + status + (lag != null ? ", sync delay " + lag.toSeconds() + "s" : ""), since(t0),
                null, null, null, lag, null);
    }

    private ProbeResult dws(long t0) {
        CloudResponse r = cloud.dwsDetail(target.region(), target.projectId(), target.resourceId());
        JsonNode body = ok(r);
        if (body == null) {
            return failed(r, t0);
        }
        JsonNode dr = body.path("disaster_recovery");
        String status = dr.path("status").asText("");
        String primaryStatus = dr.path("primary_cluster").path("status").asText("");
        Instant lastSync = parseTime(dr.path("standby_cluster").path(fields.dwsLastSyncField()).asText(
                dr.path("primary_cluster").path(fields.dwsLastSyncField()).asText("")));
        boolean healthy = "running".equals(status) && !"abnormal".equalsIgnoreCase(primaryStatus);
        return new ProbeResult(healthy ? ProbeResult.Health.UP : ProbeResult.Health.DOWN,
                "DWS DR " + status + ", primary cluster " + primaryStatus, since(t0), null, null, null, null, lastSync);
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
