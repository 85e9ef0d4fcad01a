package io.switchguard.config;

import java.time.Duration;

/**
 * A validated target: what to switch over and where. resourceId is the instance, job or DR id per kind.
 * mode is set for drs only; maxDataLoss may be null (no RPO guard); probe is null for a target that is only
 * switched by hand. auto is true for auto: true and auto: approve; approval is set for approve only (each automatic
 * action waits for an operator). group names the failover budget group it counts in, or is null.
 */
public record Target(
        String name,
        Kind kind,
        String region,
        String projectId,
        String resourceId,
        String mode,
        boolean auto,
        Duration cooldown,
        Duration maxDataLoss,
        ProbeSpec probe,
        Approval approval,
        String group) {

    /**
     * auto: approve: how long a request waits for an answer, and whether silence then means act (when the breach
     * still holds) or give up.
     */
    public record Approval(Duration timeout, boolean actOnTimeout) {

        public String onTimeout() {
            return actOnTimeout ? "act" : "give-up";
        }
    }

    /** A target that acts on its own or only alerts, in no budget group. */
    public Target(String name, Kind kind, String region, String projectId, String resourceId, String mode,
            boolean auto, Duration cooldown, Duration maxDataLoss, ProbeSpec probe) {
        this(name, kind, region, projectId, resourceId, mode, auto, cooldown, maxDataLoss, probe, null, null);
    }

    public Target withProbe(ProbeSpec probe) {
        return new Target(name, kind, region, projectId, resourceId, mode, auto, cooldown, maxDataLoss, probe,
                approval, group);
    }
}
