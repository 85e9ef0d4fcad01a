package io.switchguard.kinds.drs;

import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.switchover.Answers;
import io.switchguard.switchover.KindDriver;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * Per target whose switch this process snapshotted: whether it was seen under way since (a status other than the
     * one before). get-switch-vip-status reports the last switch, so a COMPLETE or FAILED that was already there
     * before the call is the previous switch's, and settles this one only once this one was seen to start. One
     * switchover per target at a time (the lock), so a target's name is key enough.
     */
    private final Map<String, Boolean> seenMoving = new ConcurrentHashMap<>();

    @Override
    public Snapshot snapshot(Target t) {
        seenMoving.put(t.name(), false);
        CloudResponse r = cloud.switchVipStatus(t);
        if (r instanceof CloudResponse.Answered a && a.ok()) {
            String status = a.body().path("status").asText("");
            return new Snapshot(status, "switch status before: " + (status.isEmpty() ? "unreported" : status));
        }
        return Snapshot.unread("switch status before unknown: "
                + Answers.unusable(r, "get-switch-vip-status").detail(), r);
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
        if (before.known() && !status.equals(before.state())) {
            seenMoving.put(t.name(), true);
        }
        Boolean seen = seenMoving.get(t.name());
        if (before.known() && status.equals(before.state()) && !Boolean.TRUE.equals(seen)
                && (status.equals("SWITCH_VIP_COMPLETE") || status.equals("SWITCH_VIP_FAILED"))) {
            // The previous switch's outcome, still shown. Watched since the call and nothing moved: this switch has
            // not started. Read by a process that did not watch (reconciliation), it cannot tell either way.
            return seen != null
                    ? new Check(Check.Verdict.UNCHANGED, "VIP switch status " + status + " as before the call: the "
                            + "previous switch's, this one not seen to start")
                    : new Check(Check.Verdict.PENDING, "VIP switch status " + status + " as before the call: the "
                            + "previous switch's or this one's, not told apart after a restart");
        }
        return switch (status) {
            case "SWITCH_VIP_COMPLETE" -> new Check(Check.Verdict.DONE, "VIP switch complete");
            case "SWITCH_VIP_FAILED" -> new Check(Check.Verdict.FAILED, "VIP switch failed: "
                    + a.body().path("error_code").asText("") + " " + a.body().path("error_msg").asText(""));
            default -> new Check(Check.Verdict.PENDING, "VIP switch status " + (status.isEmpty() ? "unreported" : status));
        };
    }
}
