package io.switchguard.policy;

import static io.switchguard.policy.Fixtures.CLOUD_DOWN;
import static io.switchguard.policy.Fixtures.DOWN;
import static io.switchguard.policy.Fixtures.LINK_DOWN;
import static io.switchguard.policy.Fixtures.LINK_UP;
import static io.switchguard.policy.Fixtures.MB;
import static io.switchguard.policy.Fixtures.REDIS;
import static io.switchguard.policy.Fixtures.RUNNING;
import static io.switchguard.policy.Fixtures.STANDBY_LOADING;
import static io.switchguard.policy.Fixtures.STANDBY_UNREACHABLE;
import static io.switchguard.policy.Fixtures.T0;
import static io.switchguard.policy.Fixtures.UP;
import static io.switchguard.policy.Fixtures.cloudDownSynced;
import static io.switchguard.policy.Fixtures.cloudLag;
import static io.switchguard.policy.Fixtures.standbyLag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards for a manual switchover: standby healthy, within max-lag, within max-data-loss; force bypasses them all.
 * Cooldown and pause are not inputs at all: manual calls are not blocked by them (CONTRACT §4).
 */
class PolicyManualGuardTest {

    private static final Rules DRS = new Rules(3, 2, null, Duration.ofSeconds(30), Duration.ofMinutes(15),
            Duration.ofMinutes(5), false);
    private static final Rules RPO = new Rules(3, 2, null, null, Duration.ofMinutes(15), Duration.ofMinutes(5), true);
    private static final String FORCE = "; send force to override";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("healthy standby within limits: go", REDIS, obs(UP, RUNNING, LINK_UP), false, null),
                row("planned swap while the primary is down and the standby's link with it: go", REDIS,
                        obs(DOWN, CLOUD_DOWN, LINK_DOWN), false, null),
                row("no observation yet and no RPO guard: go", REDIS, null, false, null),
                row("standby unreachable: refused", REDIS, obs(UP, RUNNING, STANDBY_UNREACHABLE), false,
                        "the standby is unhealthy (connect timed out): it cannot take over" + FORCE),
                row("standby unreachable, forced: go", REDIS, obs(UP, RUNNING, STANDBY_UNREACHABLE), true, null),
                row("standby loading: refused", REDIS, obs(UP, RUNNING, STANDBY_LOADING), false,
                        "the standby is unhealthy (loading dataset): it cannot take over" + FORCE),
                row("standby behind in bytes: refused", REDIS, obs(UP, RUNNING, standbyLag(80 * MB)), false,
                        "the standby is behind: lag 80MB over max-lag 64MB" + FORCE),
                row("standby at exactly max-lag: go", REDIS, obs(UP, RUNNING, standbyLag(64 * MB)), false, null),
                row("standby behind in seconds (drs): refused", DRS, obs(null, cloudLag(Duration.ofSeconds(45)), null),
                        false, "the standby is behind: lag 45s over max-lag 30s" + FORCE),
                row("lag over max-data-loss: refused", RPO, obs(null, cloudLag(Duration.ofMinutes(6)), null), false,
                        "failing over could lose more than max-data-loss 5m: lag 6m" + FORCE),
                row("last sync older than max-data-loss: refused", RPO,
                        obs(null, cloudDownSynced(T0.minus(Duration.ofMinutes(7))), null), false,
                        "failing over could lose more than max-data-loss 5m: last sync 7m ago" + FORCE),
                row("last sync older than max-data-loss, forced: go", RPO,
                        obs(null, cloudDownSynced(T0.minus(Duration.ofMinutes(7))), null), true, null),
                row("last sync within max-data-loss: go", RPO,
                        obs(null, cloudDownSynced(T0.minus(Duration.ofMinutes(4))), null), false, null),
                row("RPO guard with nothing measured: refused", RPO, obs(UP, RUNNING, null), false,
                        "cannot check max-data-loss 5m: no lag or last sync measured" + FORCE),
                row("RPO guard and no observation yet: refused", RPO, null, false,
                        "cannot check max-data-loss 5m: no lag or last sync measured" + FORCE),
                row("RPO guard and no observation yet, forced: go", RPO, null, true, null),
                row("standby unhealthy is named before data loss", RPO, obs(UP, RUNNING, STANDBY_UNREACHABLE), false,
                        "the standby is unhealthy (connect timed out): it cannot take over" + FORCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void manualGuard(String name, Rules rules, Observation latest, boolean force, String refusal) {
        assertEquals(Optional.ofNullable(refusal), Policy.manualGuard(rules, latest, force, T0), name);
    }

    private static Arguments row(String name, Rules rules, Observation latest, boolean force, String refusal) {
        return Arguments.of(name, rules, latest, force, refusal);
    }

    private static Observation obs(ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby) {
        return new Observation(T0, dataPlane, cloud, standby);
    }
}
