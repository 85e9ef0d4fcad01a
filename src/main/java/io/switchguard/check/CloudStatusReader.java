package io.switchguard.check;

import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult;
import io.switchguard.switchover.Kind;
import java.util.Set;

/**
 * The cloud's own view of a target, the independent second signal. Each kind's slice (io.switchguard.kinds.*)
 * registers one as a CDI bean; {@link CloudStatusReaders} finds it by kind, so this package never names a kind.
 * A failing status API is a DOWN result made by {@link CloudReading#failed} (the policy tells "cloud unreachable"
 * from "cloud says down").
 */
public interface CloudStatusReader {

    /** The kinds whose status this reads. */
    Set<Kind> kinds();

    /** One read of the target's status; the latency is measured by the caller. */
    ProbeResult read(Target target);
}
