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

    Drivers(CloudClient cloud) {
        for (KindDriver d : List.of(new DcsDriver(cloud, false), new DcsDriver(cloud, true), new DrsDriver(cloud),
                new DwsDriver(cloud))) {
            byKind.put(d.kind(), d);
        }
    }

    KindDriver of(Kind kind) {
        return byKind.get(kind);
    }
}
