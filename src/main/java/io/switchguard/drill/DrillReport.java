package io.switchguard.drill;

import io.switchguard.action.Action;
import java.time.Instant;
import java.util.List;

/**
 * A drill and its report, as GET /drill answers and the store keeps it (JSON). Nullable: reason, checkUrl,
 * startedBy (who asked: an API key's label; reports from before it was kept), finishedAt, detail, away, back, rpo (a
 * BLOCKED drill has no legs). Times are the replica's clock; every figure
 * in milliseconds.
 */
public record DrillReport(
        String id,
        String target,
        String kind,
        State state,
        String reason,
        long holdMillis,
        String checkUrl,
        Instant startedAt,
        String startedBy,
        Instant finishedAt,
        String detail,
        List<Guard> guards,
        List<Step> timeline,
        Leg away,
        Leg back,
        Rpo rpo) {

    /** The type of each drill event is this and what happened: started, completed, interrupted, blocked, failed. */
    static final String EVENT_PREFIX = "io.switchguard.drill.";

    /** A leg's action as a report line says it: status/verification and why. */
    static String describe(Action a) {
        return a == null ? "refused before the journal" : a.status() + "/" + a.verification()
                + (a.errorMsg() != null ? " (" + a.errorMsg() + ")" : a.detail() != null ? " (" + a.detail() + ")" : "");
    }

    public enum State {
        RUNNING,
        /** Both switches verified and the hold passed its outcome checks. */
        SUCCEEDED,
        /** An outcome check failed during the hold: the hold was cut short and the target switched back. */
        INTERRUPTED,
        /** A blocking check said no: nothing was sent to the cloud. */
        BLOCKED,
        /** A switch failed or could not be verified; {@code detail} says whether the roles need a look by hand. */
        FAILED;

        public boolean finished() {
            return this != RUNNING;
        }
    }

    /** A blocking check and what it found. */
    public record Guard(String name, boolean passed, String detail) {}

    /** One line of the timeline. */
    public record Step(Instant at, String name, String detail) {}

    /**
     * One switch (away, then back): the journaled action, and its measured figures. rtoMillis: from the cloud call
     * to its verification (the journal's "call" step to the action's end), null when not verified. unavailability:
     * the data plane as the drill's probes saw it from the call on.
     */
    public record Leg(String direction, String actionId, String action, String mode, String status,
            String verification, Instant calledAt, Instant verifiedAt, Long rtoMillis, Unavailability unavailability) {}

    /**
     * First failed probe after the call to the first good probe after it (on the new primary): millis 0 when no
     * probe failed, with probeEveryMillis the resolution; null firstGoodAt and millis when none came good again.
     */
    public record Unavailability(Instant firstFailedAt, Instant firstGoodAt, Long millis, int probes,
            int failedProbes, long probeEveryMillis) {}

    /** The replication lag measured right before the first switch: what a switch at that moment could lose. */
    public record Rpo(Long lagBytes, Long lagMillis, Instant lastSync, String detail) {}
}
