package io.switchguard.policy;

import static io.switchguard.policy.Fixtures.CLOUD_DOWN;
import static io.switchguard.policy.Fixtures.DOWN;
import static io.switchguard.policy.Fixtures.LINK_DOWN;
import static io.switchguard.policy.Fixtures.LINK_UP;
import static io.switchguard.policy.Fixtures.RUNNING;
import static io.switchguard.policy.Fixtures.STANDBY_UNREACHABLE;
import static io.switchguard.policy.Fixtures.T0;
import static io.switchguard.policy.Fixtures.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchguard.probe.ProbeResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Self-isolation over one cycle's observations: true only when the checker reached nothing. */
class PolicyIsolationTest {

    static Stream<Arguments> cycles() {
        return Stream.of(
                row("two targets: every data plane and every cloud status failed", true,
                        obs(DOWN, CLOUD_DOWN, null), obs(DOWN, CLOUD_DOWN, null)),
                row("two targets: every data plane failed, no cloud status configured", true,
                        obs(DOWN, null, null), obs(DOWN, null, null)),
                row("two targets: every cloud status failed, no data plane configured (cloud API down)", true,
                        obs(null, CLOUD_DOWN, null), obs(null, CLOUD_DOWN, null)),
                row("two targets: an unreachable standby is no sign of life", true,
                        obs(DOWN, CLOUD_DOWN, STANDBY_UNREACHABLE), obs(DOWN, null, null)),
                row("one target: data plane and cloud API both failed", true,
                        obs(DOWN, CLOUD_DOWN, null)),
                row("two targets: one data plane answers", false,
                        obs(DOWN, CLOUD_DOWN, null), obs(UP, CLOUD_DOWN, null)),
                row("two targets: one cloud status answers", false,
                        obs(DOWN, CLOUD_DOWN, null), obs(DOWN, RUNNING, null)),
                row("two targets: a standby answered with its link down (the network works)", false,
                        obs(DOWN, CLOUD_DOWN, LINK_DOWN), obs(DOWN, CLOUD_DOWN, null)),
                row("two targets: a standby answered with its link up", false,
                        obs(DOWN, CLOUD_DOWN, LINK_UP), obs(DOWN, CLOUD_DOWN, null)),
                row("one target: only the data plane failed (an ordinary breach)", false,
                        obs(DOWN, null, null)),
                row("one target: only the data plane failed, the cloud says running", false,
                        obs(DOWN, RUNNING, null)),
                row("one target: only the cloud status, and it failed", false,
                        obs(null, CLOUD_DOWN, null)),
                row("one target: data plane and cloud failed but the standby answered", false,
                        obs(DOWN, CLOUD_DOWN, LINK_DOWN)),
                row("one target with signals among targets without any", false,
                        obs(DOWN, null, null), obs(null, null, null)),
                row("no targets", false),
                row("targets without signals", false, obs(null, null, null), obs(null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cycles")
    void isolated(String name, boolean expected, List<Observation> cycle) {
        assertEquals(expected, Policy.isolated(cycle), name);
    }

    private static Arguments row(String name, boolean expected, Observation... cycle) {
        return Arguments.of(name, expected, List.of(cycle));
    }

    private static Observation obs(ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby) {
        return new Observation(T0, dataPlane, cloud, standby);
    }
}
