package io.switchguard.switchover;

import io.switchguard.cloud.CloudClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The kind drivers, one each, shared by the service (the call) and the follower (the state reads). */
@ApplicationScoped
class Drivers {

    private final Map<Kind, KindDriver> byKind = new EnumMap<>(Kind.class);
    /** The dws kind's second operation, the planned switchover (manual only; the checker uses failover). */
    private final KindDriver dwsSwitchover;

    Drivers(CloudClient cloud) {
        for (KindDriver d : List.of(new DcsDriver(cloud, false), new DcsDriver(cloud, true), new DrsDriver(cloud),
                new DwsDriver(cloud))) {
            byKind.put(d.kind(), d);
        }
        dwsSwitchover = new DwsSwitchoverDriver(cloud);
    }

    /** The driver of the operation asked for: the kind's own, or the planned switchover of a dws target. */
    KindDriver of(Kind kind, String action) {
        return planned(kind, action) ? dwsSwitchover : byKind.get(kind);
    }

    static boolean planned(Kind kind, String action) {
        return kind == Kind.DWS && DwsSwitchoverDriver.ACTION.equals(action);
    }
}
