package io.switchguard.action;

/** What the cloud's own state says after a switchover call. */
public enum Verification {
    /** The status API shows the switch happened (roles traded, VIP switched, DR settled). */
    VERIFIED,
    /** Still being checked; the journal entry is updated when the answer is known. */
    PENDING,
    /** The status API shows the switch did not happen. */
    FAILED,
    /** The status API is not available here (e.g. region); nothing is claimed. */
    SKIPPED,
    /** No switchover call was made (rejected, dry run, refused by the cloud). */
    NONE
}
