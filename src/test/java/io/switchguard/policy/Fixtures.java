package io.switchguard.policy;

import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.ProbeResult.Health;
import java.time.Duration;
import java.time.Instant;

/** Recorded signals and rules the policy tests replay. One cycle every 10s from {@link #T0}. */
final class Fixtures {

    private Fixtures() {}

    static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final long MB = 1024L * 1024;
    private static final Duration MS = Duration.ofMillis(3);

    /** redis: threshold 3, recovery 2, max-lag 64MB, cooldown 15m, no RPO guard, auto. */
    static final Rules REDIS = new Rules(3, 2, 64 * MB, null, Duration.ofMinutes(15), null, true);
    /** drs: threshold 3, recovery 2, max-lag 30s, cooldown 15m, max-data-loss 5m, auto. */
    static final Rules DRS = new Rules(3, 2, null, Duration.ofSeconds(30), Duration.ofMinutes(15),
            Duration.ofMinutes(5), true);

    static Instant at(int step) {
        return T0.plus(INTERVAL.multipliedBy(step));
    }

    // data plane (the primary as the checker sees it)
    static final ProbeResult UP = ProbeResult.up("role master", MS);
    static final ProbeResult DOWN = ProbeResult.down("connection refused", MS);
    static final ProbeResult AS_REPLICA = new ProbeResult(Health.DOWN, "role is slave, expected master", MS, "slave",
            true, null, null, null);

    // cloud status
    static final ProbeResult RUNNING = ProbeResult.up("RUNNING", MS);
    static final ProbeResult CLOUD_DOWN = ProbeResult.down("ERROR", MS);

    static ProbeResult cloudLag(Duration lag) {
        return new ProbeResult(Health.UP, "job INCRE_TRANSFER_STARTED", MS, null, null, null, lag, null);
    }

    static ProbeResult cloudDownLag(Duration lag) {
        return new ProbeResult(Health.DOWN, "job INCRE_TRANSFER_FAILED", MS, null, null, null, lag, null);
    }

    static ProbeResult cloudDownSynced(Instant lastSync) {
        return new ProbeResult(Health.DOWN, "DR abnormal", MS, null, null, null, null, lastSync);
    }

    // standby (its view of the master link)
    static final ProbeResult LINK_UP = new ProbeResult(Health.UP, "replica, link up", MS, "slave", true, 0L, null, null);
    static final ProbeResult LINK_DOWN = new ProbeResult(Health.DOWN, "master link down", MS, "slave", false, null,
            null, null);
    static final ProbeResult STANDBY_UNREACHABLE = ProbeResult.down("connect timed out", MS);
    static final ProbeResult STANDBY_LOADING = new ProbeResult(Health.DOWN, "loading dataset", MS, "slave", true, null,
            null, null);

    static ProbeResult standbyLag(long bytes) {
        return new ProbeResult(Health.UP, "replica, link up", MS, "slave", true, bytes, null, null);
    }

    static ProbeResult linkDownLag(long bytes) {
        return new ProbeResult(Health.DOWN, "master link down", MS, "slave", false, bytes, null, null);
    }
}
