package io.switchguard.check;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import io.switchguard.policy.Diagnosis;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.sandbox.WatchedTargets;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.switchover.SwitchoverService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-distrust (issue #16 part 4) with a clock the test moves: a checker frozen for a minute does not act in its
 * first cycle back, and one that has just started does not act on its first view. Both act a cycle later.
 */
@QuarkusTest
@TestProfile(SelfDistrustCheckerTest.Profile.class)
class SelfDistrustCheckerTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:self-distrust;DB_CLOSE_DELAY=-1");
            target(m, "cache-frozen", 2);
            target(m, "cache-cold", 1);
            target(m, "cache-twice", 1); // its own: a second check within the interval marks the store for others
            return m;
        }

        static void target(Map<String, String> m, String name, int threshold) {
            WatchedTargets.target(m, name, "dcs", "instance-id", "inst-" + name, DecisionSafetyTest.PROJECT, "true");
            m.put("switchguard.targets." + name + ".probe.failure-threshold", String.valueOf(threshold));
        }
    }

    @Inject Checkers checkers;
    @Inject SandboxLauncher sandbox;
    @Inject Targets targets;
    @Inject LeaseKeeper keeper;
    @Inject SwitchoverService switchover;
    @Inject SwitchguardConfig config;
    @Inject MeterRegistry registry;

    io.switchguard.sandbox.MutableClock clock;
    Checker checker;

    @BeforeEach
    void freshChecker() {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
        clock = new io.switchguard.sandbox.MutableClock(Instant.now());
        checker = checkers.checker(clock);
    }

    long swaps(String target) {
        return sandbox.simulator().count("POST", ".*" + Pattern.quote("/instances/inst-" + target + "/swap"));
    }

    Checker.Report check(String target) {
        return checker.check(targets.find(target).orElseThrow());
    }

    @Test
    void aFrozenCheckerDoesNotActInItsFirstCycleBack() {
        CloudSimulator cloud = sandbox.simulator();
        cloud.dataPlaneFault("inst-cache-frozen", DataPlaneFault.DOWN);
        Checker.Report first = check("cache-frozen");
        assertEquals(Verdict.NONE, first.decision().verdict(), first.decision().reason());

        // Frozen for a minute (a GC pause, a suspended VM): the breach is reached in the first cycle back.
        clock.advance(Duration.ofMinutes(1));
        Checker.Report back = check("cache-frozen");
        assertEquals(Verdict.REJECTED, back.decision().verdict(), back.decision().reason());
        assertEquals("self-distrust", back.decision().guard());
        assertTrue(back.decision().reason().contains("the checker ran late: 1m since the last counted probe of the"
                + " target, over 2 x interval 1s + timeout 300ms"), back.decision().reason());
        assertEquals(0, swaps("cache-frozen"));

        clock.advance(Duration.ofSeconds(1));
        Checker.Report next = check("cache-frozen");
        assertEquals(Verdict.SWITCHOVER, next.decision().verdict(), next.decision().reason());
        assertEquals(1, swaps("cache-frozen"));
        cloud.clearDataPlaneFault("inst-cache-frozen");
    }

    @Test
    void aJustStartedCheckerWarmsUpBeforeItActs() {
        CloudSimulator cloud = sandbox.simulator();
        cloud.dataPlaneFault("inst-cache-cold", DataPlaneFault.DOWN);
        // Threshold 1: the first view already breaches, but it is the first this replica has of the target.
        Checker.Report first = check("cache-cold");
        assertEquals(Verdict.REJECTED, first.decision().verdict(), first.decision().reason());
        assertEquals("self-distrust", first.decision().guard());
        assertTrue(first.decision().reason().contains("warming up: this replica has just started"),
                first.decision().reason());
        assertEquals(0, swaps("cache-cold"));

        clock.advance(Duration.ofSeconds(1));
        Checker.Report second = check("cache-cold");
        assertEquals(Verdict.SWITCHOVER, second.decision().verdict(), second.decision().reason());
        assertEquals(1, swaps("cache-cold"));
        cloud.clearDataPlaneFault("inst-cache-cold");
    }

    /**
     * A probe that ran but came within the interval of the last counted one is refused, and that refusal is now
     * counted where a scrape sees it. It never reaches switchguard_probe_total, so before, a shortfall there (the
     * 1,000-Redis bench's 0.1-0.2 %) could not be told from a tick that never ran.
     */
    @Test
    void aProbeRefusedWithinTheIntervalIsCountedAsNotCounted() {
        check("cache-twice");
        double before = notCounted("interval");
        Checker.Report again = check("cache-twice"); // the same instant on this checker's clock
        assertEquals(Diagnosis.NOT_COUNTED, again.decision().diagnosis(), again.decision().reason());
        // >=: the application's own schedule may refuse one of these targets' ticks meanwhile, too.
        assertTrue(notCounted("interval") >= before + 1, "switchguard_check_not_counted_total{reason=interval}");
    }

    private double notCounted(String reason) {
        Counter c = registry.find("switchguard_check_not_counted").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}
