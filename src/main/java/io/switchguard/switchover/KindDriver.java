package io.switchguard.switchover;

import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;

/**
 * What differs between the kinds: the call, how its answer is read, how the result is confirmed.
 * Everything else (locking, journal, retries, follow-up) is {@link SwitchoverService}'s, once.
 *
 * <p>Each kind's slice (io.switchguard.kinds.*) registers one CDI bean per operation it supports;
 * {@link Drivers} finds them, so this package never names a kind's driver.
 */
public interface KindDriver {

    Kind kind();

    /** The operation this driver performs: the kind's own (swap, switch-vip, failover) or a manual second one. */
    default String action() {
        return kind().action();
    }

    /** The cloud's state before the call, so {@link #check} can tell a change; Snapshot.NONE when unknown. */
    Snapshot snapshot(Target target);

    /** Short description of the call for the journal, e.g. "POST /v2/{p}/instances/{i}/swap". */
    String describeCall(Target target, String mode);

    CloudResponse call(Target target, String mode);

    /** The kind's success rule applied to the answer. */
    Interpretation interpret(CloudResponse.Answered answer);

    /** One look at the status API: has the switchover happened? */
    Check check(Target target, Snapshot before);

    /** Cloud state captured before the call (e.g. the master nodes, the primary cluster). */
    /** The state read before the call; {@code reread}: unread for a reason a second read may not have. */
    record Snapshot(String state, String detail, boolean reread) {
        public static final Snapshot NONE = new Snapshot(null, "no prior state");

        public Snapshot(String state, String detail) {
            this(state, detail, false);
        }

        /**
         * The state could not be read from {@code r}: worth reading again after no answer, a call not sent or a
         * 5xx, not when the cloud answered for itself (a 4xx, or an answer without the roles).
         */
        public static Snapshot unread(String detail, CloudResponse r) {
            return new Snapshot(null, detail, !(r instanceof CloudResponse.Answered a) || a.status() >= 500);
        }

        public boolean known() {
            return state != null;
        }
    }

    /** The answer read by the kind's rule; errorCode/errorMsg set when the cloud refused. */
    record Interpretation(ActionStatus status, String errorCode, String errorMsg, String detail) {}

    record Check(Verdict verdict, String detail) {
        public enum Verdict {
            /** The status API confirms the switchover. */
            DONE,
            /** The status API shows it failed or did not happen. */
            FAILED,
            /** Not yet settled, or the status API answered with a passing error. */
            PENDING,
            /** The state is exactly what it was before the call, and nothing is moving: the switch did not start. */
            UNCHANGED,
            /** No status API here: nothing can be claimed. */
            UNAVAILABLE
        }
    }
}
