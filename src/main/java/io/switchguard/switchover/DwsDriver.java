package io.switchguard.switchover;

import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Target;

/**
 * DWS DR failover: 200 only means submitted. Done when the DR detail shows the former standby as primary
 * and the DR settled back to running; a DR that ends in a failure state needs an operator.
 */
final class DwsDriver implements KindDriver {

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
            DwsDetail d = DwsDetail.of(a.body());
            if (!d.primary().isEmpty()) {
                return new Snapshot(d.primary(), "primary before: " + d.primary() + ", status " + d.status());
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
        DwsDetail d = DwsDetail.of(a.body());
        if (d.failed()) {
            return new Check(Check.Verdict.FAILED, "DR status " + d.status() + ", primary " + d.primary()
                    + ": needs an operator");
        }
        if (!before.known()) {
            return new Check(Check.Verdict.UNAVAILABLE, "primary before the failover is unknown; DR status "
                    + d.status());
        }
        if (d.running() && !d.primary().equals(before.state())) {
            return new Check(Check.Verdict.DONE, "failover complete: primary now " + d.primary() + ", DR running");
        }
        if (d.running()) {
            return new Check(Check.Verdict.UNCHANGED, "DR running, primary still " + d.primary());
        }
        return new Check(Check.Verdict.PENDING, "DR status " + d.status() + ", primary " + d.primary());
    }
}
