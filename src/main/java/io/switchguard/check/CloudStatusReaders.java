package io.switchguard.check;

import io.switchguard.config.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The kinds' status readers, registered by their slices as CDI beans, one per kind. */
@ApplicationScoped
public class CloudStatusReaders {

    private final Map<Kind, CloudStatusReader> byKind = new EnumMap<>(Kind.class);

    public CloudStatusReaders(Instance<CloudStatusReader> registered) {
        for (CloudStatusReader r : registered) {
            for (Kind k : r.kinds()) {
                CloudStatusReader twice = byKind.put(k, r);
                if (twice != null) {
                    throw new IllegalStateException("two status readers for " + k.id() + ": "
                            + twice.getClass().getName() + ", " + r.getClass().getName());
                }
            }
        }
    }

    /** The status reader of a kind. */
    CloudStatusReader of(Kind kind) {
        CloudStatusReader reader = byKind.get(kind);
        if (reader == null) {
            throw new IllegalStateException("no status reader registered for " + kind.id());
        }
        return reader;
    }
}
