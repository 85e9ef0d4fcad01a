package io.switchguard.probe;

import io.switchguard.config.ProbeSpec;
import java.net.URI;
import java.util.Optional;

/** Builds a target's probes from its configuration (validated at startup: a malformed address here is a bug). */
public final class Probes {

    private Probes() {}

    /**
     * The data plane, whichever is configured (redis, tcp or http; startup allows one). Redis must be the master,
     * on a kept connection in fast mode: the checker's own probe of the target, one per target.
     */
    public static Optional<AsyncProbe> dataPlane(Net net, ProbeSpec cfg) {
        return dataPlane(net, cfg, cfg.fast());
    }

    /** The data plane on a fresh connection per probe whatever the mode: for a look of one's own (a drill). */
    public static Optional<AsyncProbe> dataPlaneOnce(Net net, ProbeSpec cfg) {
        return dataPlane(net, cfg, false);
    }

    private static Optional<AsyncProbe> dataPlane(Net net, ProbeSpec cfg, boolean persistent) {
        if (cfg.redis() != null) {
            return Optional.of(redis(net, cfg.redis(), cfg, RedisProbe.Role.MASTER, persistent));
        }
        if (cfg.tcp() != null) {
            return Optional.of(new TcpProbe(net, HostPort.parse(cfg.tcp()), cfg.timeout()));
        }
        return Optional.ofNullable(cfg.http()).<AsyncProbe>map(url -> new HttpProbe(net, URI.create(url.trim()), cfg.timeout()));
    }

    /** The Redis standby, expected to be a replica with its link to the master up: the confirming signal. */
    public static Optional<AsyncProbe> standby(Net net, ProbeSpec cfg) {
        return Optional.ofNullable(cfg.standby()).map(address -> redis(net, address, cfg, RedisProbe.Role.REPLICA, false));
    }

    private static AsyncProbe redis(Net net, String address, ProbeSpec cfg, RedisProbe.Role expected, boolean persistent) {
        // There is no setting to skip the host name check: TLS from configuration always verifies.
        RespClient.Tls tls = cfg.tls() ? RespClient.Tls.VERIFY : RespClient.Tls.OFF;
        return new RedisProbe(net, HostPort.parse(address), cfg.user(), cfg.password(), tls, cfg.timeout(), expected,
                null, persistent);
    }
}
