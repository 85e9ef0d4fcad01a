package io.switchguard.switchover;

import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Target;

/**
 * DWS planned DR switchover (issue 12 item 5), the dws kind's second operation beside the exception failover:
 * a healthy DR trades roles without data loss. Its own rules: the answer must be a 200 naming the DR (the SDK's
 * SwitchoverDisasterRecoveryResponse), which only means submitted; it is done when the roles traded exactly (the
 * former standby is primary and the former primary standby) and the DR runs again. A DR that ends in a failure
 * state needs an operator.
 */
final class DwsSwitchoverDriver implements KindDriver {

    /** The manual function and the journal's action name. */
    static final String ACTION = "switchover";

    private final CloudClient cloud;

    DwsSwitchoverDriver(CloudClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Kind kind() {
        return Kind.DWS;
    }

    /** Both roles, "primary/standby": a planned switchover must trade them, not just change the primary. */
    @Override
    public Snapshot snapshot(Target t) {
        CloudResponse r = cloud.dwsDetail(t.region(), t.projectId(), t.resourceId());
        if (r instanceof CloudResponse.Answered a && a.ok()) {
            DwsDetail d = DwsDetail.of(a.body());
            if (!d.primary().isEmpty() && !d.standby().isEmpty()) {
                return new Snapshot(d.roles(), "primary/standby before: " + d.roles() + ", DR " + d.status());
            }
        }
        return new Snapshot(null, "roles before unknown: " + Answers.unusable(r, "DR detail").detail());
    }

    @Override
    public String describeCall(Target t, String mode) {
        return "POST /v2/" + t.projectId() + "/disaster-recovery/" + t.resourceId() + "/switchover";
    }

    @Override
    public CloudResponse call(Target t, String mode) {
        return cloud.dwsSwitchover(t.region(), t.projectId(), t.resourceId());
    }

    @Override
    public Interpretation interpret(CloudResponse.Answered a) {
        if (a.status() >= 400) {
            return Answers.refused(a);
        }
        if (a.status() == 200 && !a.body().path("disaster_recovery").path("id").asText("").isEmpty()) {
            return new Interpretation(ActionStatus.SUBMITTED, null, null,
                    "DWS accepted the planned switchover (submitted)");
        }
        return Answers.ambiguous(a, "200 naming the DR");
    }

    @Override
    public Check check(Target t, Snapshot before) {
        CloudResponse r = cloud.dwsDetail(t.region(), t.projectId(), t.resourceId());
        if (!(r instanceof CloudResponse.Answered a) || !a.ok()) {
            return Answers.unusable(r, "DR detail");
        }
        DwsDetail d = DwsDetail.of(a.body());
        if (d.failed()) {
            return new Check(Check.Verdict.FAILED, "DR status " + d.status() + ", primary/standby " + d.roles()
                    + ": needs an operator");
        }
        if (!before.known()) {
            return new Check(Check.Verdict.UNAVAILABLE, "roles before the switchover are unknown; DR status "
                    + d.status());
        }
        if (d.running() && d.roles().equals(traded(before.state()))) {
            return new Check(Check.Verdict.DONE, "switchover complete: primary/standby now " + d.roles()
                    + ", DR running");
        }
        return new Check(Check.Verdict.PENDING, "DR status " + d.status() + ", primary/standby " + d.roles());
    }

    private static String traded(String roles) {
        int slash = roles.indexOf('/');
        return roles.substring(slash + 1) + "/" + roles.substring(0, slash);
    }
}
