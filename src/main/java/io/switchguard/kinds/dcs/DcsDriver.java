package io.switchguard.kinds.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.switchover.Answers;
import io.switchguard.switchover.KindDriver;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * DCS Redis master/standby swap, v2 (204) and v1.0 (200 with code ""; "1", "2", "3" are refusals).
 * Both are confirmed the same way: the shards' master nodes are not the ones they were before.
 */
final class DcsDriver implements KindDriver {

    /** The slice's registration: one driver per DCS kind, the same rules around a different call. */
    @Singleton
    static final class Registration {

        @Produces
        @Singleton
        KindDriver v2(DcsClient cloud) {
            return new DcsDriver(cloud, false);
        }

        @Produces
        @Singleton
        KindDriver v1(DcsClient cloud) {
            return new DcsDriver(cloud, true);
        }
    }

    private final DcsClient cloud;
    private final boolean v1;

    DcsDriver(DcsClient cloud, boolean v1) {
        this.cloud = cloud;
        this.v1 = v1;
    }

    @Override
    public Kind kind() {
        return v1 ? Kind.DCS_V1 : Kind.DCS;
    }

    @Override
    public Snapshot snapshot(Target t) {
        CloudResponse r = cloud.groups(t);
        if (r instanceof CloudResponse.Answered a && a.ok()) {
            List<String> masters = masters(a.body());
            if (!masters.isEmpty()) {
                return new Snapshot(String.join(",", masters), "masters before: " + String.join(",", masters));
            }
        }
        return Snapshot.unread("roles before unknown: " + Answers.unusable(r, "shard query").detail(), r);
    }

    @Override
    public String describeCall(Target t, String mode) {
        return v1 ? "PUT /v1.0/" + t.projectId() + "/instances/" + t.resourceId() + "/swap"
                : "POST /v2/" + t.projectId() + "/instances/" + t.resourceId() + "/swap";
    }

    @Override
    public CloudResponse call(Target t, String mode) {
        return v1 ? cloud.swapV1(t) : cloud.swap(t);
    }

    @Override
    public Interpretation interpret(CloudResponse.Answered a) {
        if (a.status() >= 400) {
            return Answers.error(a);
        }
        if (!v1) {
            return a.status() == 204
                    ? new Interpretation(ActionStatus.SUCCEEDED, null, null, "DCS accepted the swap (204)")
                    : Answers.ambiguous(a, "204");
        }
        // v1.0 answers 200 even when it refused: the code field is the verdict.
        JsonNode code = a.body().path("code");
        if (a.status() != 200 || !code.isTextual()) {
            return Answers.ambiguous(a, "200 with a code field");
        }
        String message = a.body().path("message").asText("");
        if (code.asText().isEmpty()) {
            return new Interpretation(ActionStatus.SUCCEEDED, null, null, "DCS accepted the swap (code \"\")");
        }
        String meaning = switch (code.asText()) {
            case "1" -> "master/standby initial data sync in progress";
            case "2" -> "master/standby state abnormal";
            case "3" -> "internal service error";
            default -> "undocumented code";
        };
        return new Interpretation(ActionStatus.FAILED, code.asText(), meaning + ": " + message.strip(),
                "DCS v1.0 refused the swap with code " + code.asText());
    }

    @Override
    public Check check(Target t, Snapshot before) {
        CloudResponse r = cloud.groups(t);
        if (!(r instanceof CloudResponse.Answered a) || !a.ok()) {
            return Answers.unusable(r, "shard query");
        }
        List<String> now = masters(a.body());
        if (!before.known()) {
            return new Check(Check.Verdict.UNAVAILABLE, "roles before the swap are unknown; masters now: " + now);
        }
        List<String> was = List.of(before.state().split(","));
        if (now.isEmpty()) {
            return new Check(Check.Verdict.PENDING, "no master reported yet");
        }
        if (now.stream().noneMatch(was::contains)) {
            return new Check(Check.Verdict.DONE, "master and standby traded places: master now " + String.join(",", now));
        }
        return now.equals(was)
                ? new Check(Check.Verdict.UNCHANGED, "master still " + String.join(",", now))
                : new Check(Check.Verdict.PENDING, "masters partly traded: now " + String.join(",", now));
    }

    /** Master node per shard, sorted, from GET .../groups. */
    private static List<String> masters(JsonNode groups) {
        TreeSet<String> masters = new TreeSet<>();
        for (JsonNode group : groups.path("group_list")) {
            for (JsonNode node : group.path("replication_list")) {
                if ("master".equals(node.path("replication_role").asText())) {
                    String id = node.path("node_id").asText(node.path("replication_ip").asText());
                    masters.add(id);
                }
            }
        }
        return new ArrayList<>(masters);
    }
}
