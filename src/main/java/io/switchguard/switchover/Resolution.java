package io.switchguard.switchover;

/**
 * An operator's way out of a stuck lock: record the outcome of an action after checking the cloud by hand
 * (SUCCEEDED, FAILED), or give the target's lock back without claiming one (RELEASE). Always journaled, with
 * who did it (caller: an API key's label; null when not known).
 */
public record Resolution(String target, String actionId, Outcome outcome, String reason, String caller) {

    /** The same resolution, made by caller. */
    public Resolution withCaller(String who) {
        return new Resolution(target, actionId, outcome, reason, who);
    }

    public enum Outcome {
        SUCCEEDED,
        FAILED,
        RELEASE
    }
}
