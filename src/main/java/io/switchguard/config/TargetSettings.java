package io.switchguard.config;

import java.time.Duration;
import java.util.Optional;

/**
 * One target's keys as written under {@code switchguard.targets.<name>} (CONTRACT §3), defaults applied, before
 * {@link ConfigValidator} judged them. Read by {@link ConfiguredTargets}; {@link Targets} turns them into
 * {@link Target}s. kind is empty when the key is missing; probe is empty when no probe key is set; instanceId is
 * accepted for every kind as an alias of the kind's own key; auto is true, false or approve as written (read it with
 * {@link ConfigValidator#autoMode}).
 */
public record TargetSettings(
        Optional<String> kind,
        Optional<String> region,
        Optional<String> projectId,
        Optional<String> instanceId,
        Optional<String> jobId,
        Optional<String> disasterRecoveryId,
        String auto,
        Approval approval,
        Optional<String> group,
        Optional<Probe> probe,
        Duration cooldown,
        Optional<Duration> maxDataLoss,
        Optional<String> mode) {

    /** auto: approve: how long an approval waits for an answer, and what silence means (act | give-up). */
    public record Approval(Duration timeout, String onTimeout) {}

    /**
     * How the target is watched: at most one of redis, tcp, http as the data plane; standby the Redis whose view of
     * its master link confirms; maxLag as written (redis: bytes, drs/dws: a duration).
     */
    public record Probe(
            Optional<String> redis,
            Optional<String> tcp,
            Optional<String> http,
            Optional<String> standby,
            Optional<String> user,
            Optional<String> password,
            boolean tls,
            boolean cloud,
            boolean fast,
            int recoveryThreshold,
            Duration interval,
            Duration timeout,
            int failureThreshold,
            Optional<String> maxLag) {

        /** The password never reaches a log line through this record. */
        @Override
        public String toString() {
            return "Probe[redis=" + redis + ", tcp=" + tcp + ", http=" + http + ", password="
                    + (password.isPresent() ? "***" : "none") + ", interval=" + interval + "]";
        }
    }
}
