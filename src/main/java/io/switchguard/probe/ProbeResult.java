package io.switchguard.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * One probe's finding. Measurements a probe does not make are null: role (redis), masterLinkUp (a replica's
 * view of its master), lagBytes (redis, both ends known), lag (drs sync delay), lastSync (dws last DR sync).
 */
public record ProbeResult(
        Health health,
        String detail,
        Duration latency,
        String role,
        Boolean masterLinkUp,
        Long lagBytes,
        Duration lag,
        Instant lastSync) {

    public enum Health { UP, DOWN }

    public static ProbeResult up(String detail, Duration latency) {
        return new ProbeResult(Health.UP, detail, latency, null, null, null, null, null);
    }

    public static ProbeResult down(String detail, Duration latency) {
        return new ProbeResult(Health.DOWN, detail, latency, null, null, null, null, null);
    }

    public boolean up() {
        return health == Health.UP;
    }
}
