package io.switchguard.config;

import io.switchguard.switchover.Kind;
import java.time.Duration;

/**
 * A validated target: what to switch over and where. resourceId is the instance, job or DR id per kind.
 * mode is set for drs only; maxDataLoss may be null (no RPO guard); probe is null for a target that is only
 * switched by hand.
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
        ProbeSpec probe) {

    public Target withProbe(ProbeSpec probe) {
        return new Target(name, kind, region, projectId, resourceId, mode, auto, cooldown, maxDataLoss, probe);
    }
}
