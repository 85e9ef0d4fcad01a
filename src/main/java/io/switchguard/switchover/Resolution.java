package io.switchguard.switchover;

/**
 * An operator's way out of a stuck lock: record the outcome of an action after checking the cloud by hand
 * (SUCCEEDED, FAILED), or give the target's lock back without claiming one (RELEASE). Always journaled.
 */
public record Resolution(String target, String actionId, Outcome outcome, String reason) {

    public enum Outcome {
        SUCCEEDED,
        FAILED,
        RELEASE
    }
}
