package io.switchguard.sandbox;

import io.switchguard.config.Kind;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One kind's part of the simulated cloud: its routes, its resources and how a data-plane fault shows on them.
 * Each kind's slice (io.switchguard.kinds.*) registers a {@link Factory} as a CDI bean; the {@link CloudSimulator}
 * makes one part per simulator from each, so this package never names a kind's part. A part keeps its state
 * behind {@link Simulation#lock()}, the one lock of the simulator.
 */
public interface SimulatedKind {

    /** Makes a kind's part for one simulator. */
    interface Factory {
        SimulatedKind create(Simulation simulation);
    }

    /** Where a part adds its routes; a pattern's {@code {name}} segments become {@link Request#p} parameters. */
    interface Routes {
        void add(String method, String pattern, Function<Request, Reply> handler);
    }

    /** The addresses that always answer as the current primary and standby (a DCS instance's domain names). */
    record Endpoints(String primary, String standby) {}

    /** The kinds whose resources this part simulates. */
    Set<Kind> kinds();

    /** Its key in {@code GET /_sandbox/state}: dcs, drs, dws. */
    String name();

    void routes(Routes routes);

    /** A resource of one of its kinds, as a target names it. */
    void add(String projectId, String resourceId);

    /** Whether the resource is one of this part's; caller holds the lock. */
    boolean has(String resourceId);

    /**
     * What a data-plane fault set on the resource now is pinned to (the current primary); caller holds the lock.
     *
     * @throws IllegalArgumentException when the kind cannot show {@code fault}
     */
    String pin(String resourceId, DataPlaneFault fault);

    /** Its resources as JSON, keyed by id; caller holds the lock. */
    JsonObject state(Instant now);

    /** Called once the simulator listens (DCS binds its data-plane listeners); blocks, never on an event loop. */
    default void start() {}

    /** Called when the simulator stops, before its server closes. */
    default void stop() {}

    /** The resource's stable data-plane addresses, where the kind simulates a data plane. */
    default Optional<Endpoints> endpoints(String resourceId) {
        return Optional.empty();
    }
}
