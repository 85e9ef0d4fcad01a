package io.switchguard.switchover;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Target;
import java.util.Set;

/**
 * DWS DR failover: 200 only means submitted. Done when the DR detail shows the former standby as primary
 * and the DR settled back to running; a DR that ends in a failure state needs an operator.
 */
final class DwsDriver implements KindDriver {

    private static final Set<String> FAILED_STATES =
            Set.of("abnormal", "start_failed", "stop_failed", "create_failed", "deleted", "deleting");

    private final CloudClient cloud;

    DwsDriver(CloudClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Kind kind() {
        return Kind.DWS;
    }

    @Override
    public Snapshot snapshot(Target t) {
        CloudResponse r = cloud.dwsDetail(t.region(), t.projectId(), t.resourceId());
        if (r instanceof CloudResponse.Answered a && a.ok()) {
            String primary = primary(a.body());
            if (!primary.isEmpty()) {
                return new Snapshot(primary, "primary before: " + primary + ", status " + status(a.body()));
            }
        }
        return new Snapshot(null, "primary before unknown: " + Answers.unusable(r, "DR detail").detail());
    }

    @Override
    public String describeCall(Target t, String mode) {
        return "POST /v2/" + t.projectId() + "/disaster-recovery/" + t.resourceId() + "/failover";
    }

    @Override
    public CloudResponse call(Target t, String mode) {
        return cloud.dwsFailover(t.region(), t.projectId(), t.resourceId());
    }

    @Override
    public Interpretation interpret(CloudResponse.Answered a) {
        if (a.status() >= 400) {
            return Answers.error(a);
        }
        return a.status() == 200
                ? new Interpretation(ActionStatus.SUBMITTED, null, null, "DWS accepted the failover (submitted)")
                : Answers.ambiguous(a, "200");
    }

    @Override
    public Check check(Target t, Snapshot before) {
        CloudResponse r = cloud.dwsDetail(t.region(), t.projectId(), t.resourceId());
        if (!(r instanceof CloudResponse.Answered a) || !a.ok()) {
            return Answers.unusable(r, "DR detail");
        }
        String status = status(a.body());
        String primary = primary(a.body());
        if (FAILED_STATES.contains(status)) {
            return new Check(Check.Verdict.FAILED, "DR status " + status + ", primary " + primary + ": needs an operator");
        }
        if (!before.known()) {
            return new Check(Check.Verdict.UNAVAILABLE, "primary before the failover is unknown; DR status " + status);
        }
        if ("running".equals(status) && !primary.equals(before.state())) {
            return new Check(Check.Verdict.DONE, "failover complete: primary now " + primary + ", DR running");
        }
        if ("running".equals(status)) {
            return new Check(Check.Verdict.UNCHANGED, "DR running, primary still " + primary);
        }
        return new Check(Check.Verdict.PENDING, "DR status " + status + ", primary " + primary);
    }

    private static String status(JsonNode detail) {
        return detail.path("disaster_recovery").path("status").asText("");
    }

    private static String primary(JsonNode detail) {
        return detail.path("disaster_recovery").path("primary_cluster").path("id").asText("");
    }
}
