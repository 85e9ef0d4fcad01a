package io.switchguard.probe;

import io.switchguard.config.ProbeSpec;
import java.net.URI;
import java.util.Optional;

/** Builds a target's probes from its configuration (validated at startup: a malformed address here is a bug). */
public final class Probes {

    private Probes() {}

    /** The data plane, whichever is configured (redis, tcp or http; startup allows one). Redis must be the master. */
    public static Optional<Probe> dataPlane(ProbeSpec cfg) {
        if (cfg.redis() != null) {
            return Optional.of(redis(cfg.redis(), cfg, RedisProbe.Role.MASTER));
        }
        if (cfg.tcp() != null) {
            return Optional.of(new TcpProbe(HostPort.parse(cfg.tcp()), cfg.timeout()));
        }
        return Optional.ofNullable(cfg.http()).map(url -> new HttpProbe(URI.create(url.trim()), cfg.timeout()));
    }

    /** The Redis standby, expected to be a replica with its link to the master up: the confirming signal. */
    public static Optional<Probe> standby(ProbeSpec cfg) {
        return Optional.ofNullable(cfg.standby()).map(address -> redis(address, cfg, RedisProbe.Role.REPLICA));
    }

    private static Probe redis(String address, ProbeSpec cfg, RedisProbe.Role expected) {
        // There is no setting to skip the host name check: TLS from configuration always verifies.
        RespClient.Tls tls = cfg.tls() ? RespClient.Tls.VERIFY : RespClient.Tls.OFF;
        return new RedisProbe(HostPort.parse(address), cfg.user(), cfg.password(), tls,
                cfg.timeout(), expected);
    }
}
