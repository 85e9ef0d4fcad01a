package io.switchguard.function;

import io.quarkus.funqy.Funq;
import io.switchguard.action.Action;
import io.switchguard.approval.Approval;
import io.switchguard.approval.Approvals;
import io.switchguard.http.ApiException;
import io.switchguard.http.ApiKeys;
import io.switchguard.http.Callers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * POST /approve and /deny {"target", "approvalId" (optional: the target's open request), "reason"}: an operator's
 * answer to a request of approval mode. Only a caller with a valid API key may answer (the answer is journaled with
 * the key's label), and the reason is required.
 */
public class ApprovalFunctions {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Approvals approvals;
    private final Callers callers;

    public ApprovalFunctions(Approvals approvals, Callers callers) {
        this.approvals = approvals;
        this.callers = callers;
    }

    @Funq("approve")
    public Map<String, Object> approve(Map<String, Object> body) {
        Input in = input(body, "approving");
        return answer(approvals.approve(in.target(), in.approvalId(), in.by(), in.reason()));
    }

    @Funq("deny")
    public Map<String, Object> deny(Map<String, Object> body) {
        Input in = input(body, "denying");
        return answer(approvals.deny(in.target(), in.approvalId(), in.by(), in.reason()));
    }

    private record Input(String target, String approvalId, String by, String reason) {}

    private Input input(Map<String, Object> body, String what) {
        String by = callers.current();
        if (ApiKeys.ANONYMOUS.equals(by)) {
            throw new ApiException(403, "SG.4030", what + " needs a valid API key: the answer is journaled with who"
                    + " gave it", null);
        }
        if (body == null) {
            throw ApiException.badRequest("a JSON object body is required: {\"target\",\"approvalId\",\"reason\"}");
        }
        String target = Inputs.targetName(body.get("target"), true);
        String approvalId = Inputs.string(body, "approvalId");
        if (approvalId != null && !ID.matcher(approvalId).matches()) {
            throw ApiException.badRequest("approvalId: must match [A-Za-z0-9-]{1,64}");
        }
        String reason = Inputs.string(body, "reason");
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw ApiException.badRequest("reason: required, why (at most 500 characters)");
        }
        return new Input(target, approvalId, by, reason);
    }

    /**
     * 200 with the approval (and its action); a refused approval is a 409 naming why; an approved switchover that is
     * not a plain success answers with its own status, as the switchover functions do.
     */
    private Map<String, Object> answer(Approvals.Answer a) {
        switch (a.outcome()) {
            case NOT_FOUND -> throw ApiException.notFound(a.message());
            case CONFLICT -> throw new ApiException(409, "SG.4096", a.message(), a.approval() == null ? null
                    : body(a));
            case DONE -> {
                // below
            }
        }
        Map<String, Object> out = body(a);
        if (a.approval().status() == Approval.Status.REFUSED) {
            throw new ApiException(409, "SG.4095", a.approval().outcome(), out);
        }
        Action action = a.action();
        if (action != null && action.status().httpStatus() != 200) {
            throw new ApiException(action.status().httpStatus(), action.errorCode(), action.errorMsg(), out);
        }
        return out;
    }

    private Map<String, Object> body(Approvals.Answer a) {
        Map<String, Object> out = new LinkedHashMap<>(approvals.view(a.approval()));
        out.put("switchover", a.action());
        return out;
    }
}
