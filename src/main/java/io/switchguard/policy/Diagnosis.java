package io.switchguard.policy;

/**
 * What one cycle's signals say about a target, in the manner of orchestrator's analysis codes: each has a one-line
 * meaning, and {@link #actionable()} is the one map of which may lead to an automatic switchover (guards permitting).
 * "Unreachable" is recorded and alerted, never acted on; so is lag, because promoting a standby that is behind loses
 * data.
 */
public enum Diagnosis {
    HEALTHY("the primary answers and lag is within limits", false),
    SUSPECT("the primary fails or the standby lags, but the streak is still under the failure threshold", false),
    RECOVERING("the target is in breach and the primary answers again, under the recovery threshold", false),
    LAGGING("the standby's lag has been over max-lag for failure-threshold probes", false),
    PRIMARY_DOWN("the primary fails, confirmed by an independent signal (cloud status or the standby's master link)", true),
    WRONG_ROLE("the primary endpoint answers as a replica, confirmed by an independent signal", true),
    PRIMARY_DOWN_UNCONFIRMED("one signal sees the primary fail and no independent signal is available to confirm it", false),
    PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING("the checker cannot reach the primary but the cloud reports it running", false),
    PRIMARY_UNREACHABLE_STANDBY_SEES_IT("the primary looks down but the standby reports its master link up", false),
    CLOUD_TRANSITIONAL("the cloud reports the target busy or in transition (restarting, resizing, switching over,"
            + " frozen): no confirmation and no automatic action while it lasts", false),
    NO_SIGNAL("no data-plane probe or cloud status this cycle: nothing counted", false),
    NOT_COUNTED("a cycle within one probe interval of the last counted one: reported, not counted", false);

    private final String meaning;
    private final boolean actionable;

    Diagnosis(String meaning, boolean actionable) {
        this.meaning = meaning;
        this.actionable = actionable;
    }

    /** One line for operators: /status, the journal, the docs. */
    public String meaning() {
        return meaning;
    }

    /** May a breach with this diagnosis lead to an automatic switchover, guards permitting? */
    public boolean actionable() {
        return actionable;
    }
}
