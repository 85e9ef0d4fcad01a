package io.switchguard.check;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Where per-target meters are registered: the one registry that exports them. Quarkus injects a composite over the
 * configured registries (here only Prometheus, which /q/metrics scrapes); a meter registered on the composite is a
 * composite meter plus its member's, each with its own id, tags and the composite's map of members, and each of
 * them in its registry's maps. With one member the composite adds nothing a scrape reads, and at 10,000 targets it
 * held some 50,000 meters of its own (issue #13).
 */
public final class PerTargetRegistry {

    private PerTargetRegistry() {
    }

    /** The composite's only member, or the registry itself (several members, or no composite). */
    public static MeterRegistry of(MeterRegistry registry) {
        if (registry instanceof CompositeMeterRegistry composite && composite.getRegistries().size() == 1) {
            return composite.getRegistries().iterator().next();
        }
        return registry;
    }
}
