package io.switchguard.check;

import io.switchguard.config.Target;
import io.switchguard.policy.Decision;
import java.time.Instant;

/**
 * Approval mode's part of the run cycle (auto: approve), asked by the lease holder on every counted decision of a
 * target in that mode. Implemented by approval/Approvals; the checker finds it through CDI and does not know how
 * approvals are kept.
 */
public interface ApprovalGate {

    /**
     * Turns the policy's decision into the one to carry out: AWAIT_APPROVAL asks an operator once per breach episode
     * (journaled, notified) and stays AWAIT_APPROVAL while the request is open; an answer or a deadline that ended
     * the request decides what follows. A SWITCHOVER verdict comes back only when the deadline passed with
     * on-timeout act while the breach still holds; a request the episode already answered no comes back REJECTED
     * (guard "approval").
     *
     * @param signals    the observation the decision was made on, for the request's notification
     * @param observedAt when that observation was taken (what an approval's switchover is fenced against)
     * @param episode    the target's breach episode (TargetState.breaches)
     */
    Decision review(Target target, Decision decision, Checker.Signals signals, Instant observedAt, long episode,
            Instant now);
}
