package io.switchguard.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.check.CloudStatusReader;
import io.switchguard.config.Kind;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.sandbox.SimulatedKind;
import io.switchguard.sandbox.Simulators;
import io.switchguard.switchover.KindDriver;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12 item 1: a kind is one slice plus its registration. Every Kind has, found through CDI as the application
 * finds them, exactly one driver per operation it supports, one status reader and one part of the simulator; a kind
 * whose slice forgot one fails here rather than at its first switchover.
 */
@QuarkusTest
class KindRegistrationTest {

    @Inject
    Instance<KindDriver> drivers;
    @Inject
    Instance<CloudStatusReader> readers;
    @Inject
    Instance<SimulatedKind.Factory> simulators;
    @Inject
    SandboxLauncher sandbox;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void everyOperationOfAKindHasExactlyOneDriver(Kind kind) {
        for (String action : kind.actions()) {
            assertEquals(1, drivers.stream().filter(d -> d.kind() == kind && d.action().equals(action)).count(),
                    kind.id() + " " + action);
        }
        assertEquals(kind.actions(), drivers.stream().filter(d -> d.kind() == kind).map(KindDriver::action)
                .collect(Collectors.toSet()), "no driver for an operation the kind does not have");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void everyKindHasExactlyOneStatusReader(Kind kind) {
        assertEquals(1, readers.stream().filter(r -> r.kinds().contains(kind)).count(), kind.id());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void everyKindHasExactlyOneSimulatorPart(Kind kind) {
        CloudSimulator sim = sandbox.simulator();
        // The simulator refuses two parts for one kind; here each kind must have one.
        assertTrue(sim.kinds().contains(kind), kind.id() + " has no simulator part");
        assertTrue(sim.part(kind).kinds().contains(kind));
    }

    @Test
    void theSimulatorOfPlainTestsHasTheRegisteredParts() {
        assertEquals(classes(simulators.stream().toList()), classes(Simulators.KINDS));
        assertEquals(Set.of(Kind.values()), Set.copyOf(sandbox.simulator().kinds()));
    }

    private static Set<Class<?>> classes(java.util.List<? extends SimulatedKind.Factory> factories) {
        return factories.stream().map(Object::getClass).collect(Collectors.toSet());
    }
}
