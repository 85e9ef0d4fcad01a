package io.switchguard.check;

import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cloud's own view of a target, the independent second signal. Each kind's slice (io.switchguard.kinds.*)
 * registers one as a CDI bean; {@link CloudStatusReaders} finds it by kind, so this package never names a kind.
 * A failing status API is a DOWN result made by {@link CloudReading#failed} (the policy tells "cloud unreachable"
 * from "cloud says down"). {@link CloudSignals} decides when a reader is asked.
 */
public interface CloudStatusReader {

    /** The kinds whose status this reads. */
    Set<Kind> kinds();

    /** One read of the target's status; the latency is measured by the caller. */
    ProbeResult read(Target target);

    /** The cloud calls one read makes: what the rate limit counts. */
    default int calls() {
        return 1;
    }

    /** A reader whose API answers for many resources of one region and project in one call (DRS batch-status). */
    interface Batched extends CloudStatusReader {

        /** Most resources one read takes. */
        int batchSize();

        /** One read of all {@code targets} (one region and project, at most {@link #batchSize}), by resource id. */
        Map<String, ProbeResult> readAll(List<Target> targets);

        @Override
        default ProbeResult read(Target target) {
            return readAll(List.of(target)).get(target.resourceId());
        }
    }
}
