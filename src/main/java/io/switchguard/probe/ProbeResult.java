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

    /**
     * UP and DOWN are what every probe reports. The cloud's status API has two more (issue 10 item 5, one vocabulary
     * per kind in check/StatusVocabulary): TRANSITIONAL, the cloud is busy with the target (restarting, resizing,
     * switching over, frozen): no confirmation and no automatic action while it lasts; UNKNOWN, an answer that
     * cannot be read or a status outside the vocabulary: no signal at all.
     */
    public enum Health { UP, DOWN, TRANSITIONAL, UNKNOWN }

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
