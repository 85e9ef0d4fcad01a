package io.switchguard.switchover;

import io.switchguard.config.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;

/**
 * The kind drivers, one per (kind, operation), shared by the service (the call) and the follower (the state reads).
 * The kinds' slices register them as CDI beans; this class only looks them up.
 */
@ApplicationScoped
class Drivers {

    private final Map<String, KindDriver> byOperation = new HashMap<>();

    Drivers(Instance<KindDriver> registered) {
        for (KindDriver d : registered) {
            KindDriver twice = byOperation.put(key(d.kind(), d.action()), d);
            if (twice != null) {
                throw new IllegalStateException("two drivers for " + d.kind().id() + " " + d.action() + ": "
                        + twice.getClass().getName() + ", " + d.getClass().getName());
            }
        }
    }

    /** The driver of the operation asked for: the kind's own, or a manual second one (the planned DWS switchover). */
    KindDriver of(Kind kind, String action) {
        KindDriver d = byOperation.get(key(kind, planned(kind, action) ? action : kind.action()));
        if (d == null) {
            throw new IllegalStateException("no driver registered for " + kind.id() + " " + action);
        }
        return d;
    }

    /** A manual operation beside the kind's own (the checker only ever uses the kind's own). */
    static boolean planned(Kind kind, String action) {
        return !kind.action().equals(action) && kind.actions().contains(action);
    }

    private static String key(Kind kind, String action) {
        return kind.id() + " " + action;
    }
}
