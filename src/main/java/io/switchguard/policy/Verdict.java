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
    REJECTED
}
