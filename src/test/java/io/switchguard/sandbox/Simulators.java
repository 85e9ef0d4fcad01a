package io.switchguard.sandbox;

import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * A simulator outside CDI, for plain tests: the kinds' parts the application finds through CDI, listed by hand
 * (KindRegistrationTest holds this list to the registered one).
 */
public final class Simulators {

    public static final List<SimulatedKind.Factory> KINDS = List.of(new DcsSimulator.Factory(),
            new DrsSimulator.Factory(), new DwsSimulator.Factory());

    private Simulators() {}

    public static CloudSimulator create(Vertx vertx, String accessKey, String secretKey, Clock clock) {
        return new CloudSimulator(vertx, accessKey, secretKey, clock, KINDS);
    }
}
