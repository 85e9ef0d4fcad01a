package io.switchguard.switchover;

import io.switchguard.config.SwitchguardConfig;
import java.time.Duration;

/**
 * How long a switchover holds its target's lock before only its expiry can end it: the caller's path and a
 * reconciling follower take it for the same time.
 */
final class TargetLock {

    /** Attempts of a call that provably never left: connection refused, connect timeout, not signed. */
    static final int CONNECT_ATTEMPTS = 3;

    private TargetLock() {
    }

    /** Reads of the roles before the call: one that failed is read again once (a read is safe to repeat). */
    static final int SNAPSHOT_READS = 2;

    /** The lock outlives the longest sync phase: snapshot reads, three connect attempts, the call, verification. */
    static Duration ttl(SwitchguardConfig config) {
        SwitchguardConfig.Cloud c = config.cloud();
        return c.readTimeout().multipliedBy(SNAPSHOT_READS + 1L)
                .plus(c.connectTimeout().multipliedBy(CONNECT_ATTEMPTS))
                .plus(config.switchover().verifyTimeout()).plusSeconds(30);
    }
}
