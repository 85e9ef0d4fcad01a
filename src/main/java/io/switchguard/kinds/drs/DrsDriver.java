package io.switchguard.kinds.drs;

import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.switchover.Answers;
import io.switchguard.switchover.KindDriver;
import jakarta.inject.Singleton;

/** DRS dual-VIP switchover: 202 with status "success", then get-switch-vip-status until COMPLETE or FAILED. */
@Singleton
final class DrsDriver implements KindDriver {

    private final DrsClient cloud;

    DrsDriver(DrsClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Kind kind() {
        return Kind.DRS;
    }

    @Override
    public Snapshot snapshot(Target t) {
        // The switch status API reports the switch itself; no prior state is needed to read it.
        return Snapshot.NONE;
    }

    @Override
    public String describeCall(Target t, String mode) {
        return "POST /v3/" + t.projectId() + "/jobs/" + t.resourceId() + "/switch-vip {\"mode\":\"" + mode + "\"}";
    }

    @Override
    public CloudResponse call(Target t, String mode) {
        return cloud.switchVip(t, mode);
    }

    @Override
    public Interpretation interpret(CloudResponse.Answered a) {
        if (a.status() >= 400) {
            return Answers.error(a);
        }
        String status = a.body().path("status").asText("");
        // DRS answers 202 even when it refused: status "failed" carries the reason.
        if (a.status() == 202 && "success".equals(status)) {
            return new Interpretation(ActionStatus.SUCCEEDED, null, null, "DRS accepted the VIP switch");
        }
        if (a.status() == 202 && "failed".equals(status)) {
            return new Interpretation(ActionStatus.FAILED, a.body().path("error_code").asText(null),
                    a.body().path("error_msg").asText("DRS reported status failed"), "DRS refused the VIP switch");
        }
        return Answers.ambiguous(a, "202 with status success or failed");
    }

    @Override
    public Check check(Target t, Snapshot before) {
        CloudResponse r = cloud.switchVipStatus(t);
        if (!(r instanceof CloudResponse.Answered a) || !a.ok()) {
            return Answers.unusable(r, "get-switch-vip-status");
        }
        String status = a.body().path("status").asText("");
        return switch (status) {
            case "SWITCH_VIP_COMPLETE" -> new Check(Check.Verdict.DONE, "VIP switch complete");
            case "SWITCH_VIP_FAILED" -> new Check(Check.Verdict.FAILED, "VIP switch failed: "
                    + a.body().path("error_code").asText("") + " " + a.body().path("error_msg").asText(""));
            default -> new Check(Check.Verdict.PENDING, "VIP switch status " + (status.isEmpty() ? "unreported" : status));
        };
    }
}
