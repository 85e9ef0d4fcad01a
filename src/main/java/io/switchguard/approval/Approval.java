package io.switchguard.approval;

import java.time.Instant;

/**
 * One request for an operator's approval (auto: approve): the policy's decision to switch over, with its sentence
 * and the signals it was made on, and how it ended.
 *
 * @param episode    the target's breach episode it was asked in: one request per episode
 * @param observedAt the observation the decision was made on; a switchover journaled after it supersedes the request
 * @param deadline   when silence decides (onTimeout: act | give-up)
 * @param answeredBy the API key's label of who approved or denied, or "switchguard" for the deadline
 * @param outcome    the sentence of how it ended: what was done, or why nothing was
 * @param actionId   the switchover the approval (or on-timeout act) started, or null
 */
public record Approval(String approvalId, String target, long episode, String action, Status status,
        String diagnosis, String reason, String signals, Instant observedAt, Instant requestedAt, Instant deadline,
        String onTimeout, Instant answeredAt, String answeredBy, String answerReason, String outcome,
        String actionId) {

    /** PENDING and APPROVING are open: one per target at a time; every other status is an end. */
    public enum Status {
        /** Waiting for POST /approve or /deny, or the deadline. */
        PENDING,
        /** Approved; the approving caller is checking the state again and switching over. */
        APPROVING,
        /** Approved and the switchover started: actionId. */
        APPROVED,
        DENIED,
        /** Approved, but the breach no longer held (or a guard said no) when it came: nothing reached the cloud. */
        REFUSED,
        /** No answer by the deadline: acted or gave up, as the outcome says. */
        TIMED_OUT;

        public boolean open() {
            return this == PENDING || this == APPROVING;
        }
    }

    public boolean open() {
        return status.open();
    }

    public boolean expired(Instant now) {
        return !now.isBefore(deadline);
    }

    /** The idempotency key of the switchover this approval starts: the same approval never calls the cloud twice. */
    public String requestId() {
        return "approval-" + approvalId;
    }
}
