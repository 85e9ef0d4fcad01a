package io.switchguard.config;

import java.time.Duration;

/**
 * How a target is watched. redis/tcp/http: the data-plane probe of the primary (at most one); standby: the
 * Redis standby whose view of its master link confirms a failure; cloud: whether the cloud's own status API is
 * a signal; fast: a persistent data-plane connection whose loss is evidence at once (redis). maxLagBytes (redis) or
 * maxLag (drs/dws) may be null. Nullable strings: not configured.
 */
public record ProbeSpec(
        String redis,
        String standby,
        String tcp,
        String http,
        String user,
        String password,
        boolean tls,
        boolean cloud,
        boolean fast,
        Duration interval,
        Duration timeout,
        int failureThreshold,
        int recoveryThreshold,
        Long maxLagBytes,
        Duration maxLag) {

    public ProbeSpec withRedis(String redis, String standby) {
        return new ProbeSpec(redis, standby, tcp, http, user, password, tls, cloud, fast, interval, timeout, failureThreshold,
                recoveryThreshold, maxLagBytes, maxLag);
    }

    /** The password never reaches a log line through this record. */
    @Override
    public String toString() {
        return "ProbeSpec[redis=" + redis + ", standby=" + standby + ", tcp=" + tcp + ", http=" + http + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + ", tls=" + tls + ", cloud=" + cloud + ", fast=" + fast
                + ", interval=" + interval + ", timeout=" + timeout + ", failureThreshold=" + failureThreshold
                + ", recoveryThreshold=" + recoveryThreshold + ", maxLagBytes=" + maxLagBytes + ", maxLag=" + maxLag + "]";
    }
}
