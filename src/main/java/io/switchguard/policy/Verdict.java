package io.switchguard.policy;

/** What the checker does with a decision. */
public enum Verdict {
    /** Nothing to do: healthy, a streak still under its threshold, or recovering. */
    NONE,
    /** The target was unhealthy and has had recoveryThreshold healthy probes in a row: emit target.recovered. */
    RECOVERED,
    /** A breach that is notified, not acted on: auto is off, the breach is unconfirmed, or it is lag. */
    ALERT,
    /** Run the switchover path with trigger "auto" (dry run when the context says so). */
    SWITCHOVER,
    /** A confirmed, actionable breach that a guard refused; {@link Decision#guard()} names the guard. */
    REJECTED,
    /**
     * auto: approve: every guard let it through, and the switchover waits for an operator's approval (or the
     * approval's deadline) instead of running now.
     */
    AWAIT_APPROVAL;

    /** The policy would act: now, or once approved. The checker's isolation and budget checks apply to both. */
    public boolean wouldAct() {
        return this == SWITCHOVER || this == AWAIT_APPROVAL;
    }
}
