package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.switchguard.action.Action;
import io.switchguard.check.Checker;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.policy.Verdict;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The automatic path's fixture: the checker driven cycle by cycle on demo-cache (its data plane faulted by the
 * test), each test class on a store of its own, so no other test's switchover starts a cooldown there.
 */
abstract class AutoActionTest extends SandboxSwitchoverTest {

    /** {@link SwitchoverTestProfile} with an in-memory store named after the test class that declares it. */
    public abstract static class OwnStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new SwitchoverTestProfile().getConfigOverrides());
            m.put("switchguard.store.url", "jdbc:h2:mem:"
                    + getClass().getEnclosingClass().getSimpleName().toLowerCase(Locale.ROOT) + ";DB_CLOSE_DELAY=-1");
            return m;
        }
    }

    @Inject
    Checker checker;
    @Inject
    LeaseKeeper keeper;
    @Inject
    Targets targets;

    @AfterEach
    void clearDataPlane() {
        cloud.clearDataPlaneFault(CACHE);
    }

    Target cache() {
        return targets.find("demo-cache").orElseThrow();
    }

    /** Checks the breached target cycle by cycle (renew first) until the checker acts; that first action. */
    Action untilActed(Runnable renew) throws InterruptedException {
        Target target = cache();
        for (int i = 0; i < 8; i++) {
            renew.run();
            Checker.Report report = checker.check(target);
            if (report.actionId() != null) {
                return store.find(report.actionId()).orElseThrow();
            }
            Thread.sleep(target.probe().interval().toMillis() + 100);
        }
        throw new AssertionError("the checker never acted");
    }

    /** The same breach, {@code cycles} counted cycles on: each refused by the cooldown. */
    void holdsTheCooldown(int cycles) throws InterruptedException {
        Target target = cache();
        for (int i = 0; i < cycles; i++) {
            Thread.sleep(target.probe().interval().toMillis() + 100);
            keeper.renew();
            Checker.Report report = checker.check(target);
            assertEquals(Verdict.REJECTED, report.decision().verdict(), report.decision().reason());
            assertEquals("cooldown", report.decision().guard(), report.decision().reason());
        }
    }

    /**
     * The same breach after {@code first}, which sent nothing: within {@code cycles} the checker acts again, never
     * held back by a cooldown; waits for that action to finish.
     */
    void actsAgain(String first, int cycles, Runnable renew) throws InterruptedException {
        Target target = cache();
        for (int i = 0; i < cycles; i++) {
            renew.run();
            Checker.Report report = checker.check(target);
            assertNotEquals("cooldown", report.decision().guard(), report.decision().reason());
            if (report.decision().verdict() == Verdict.SWITCHOVER && report.actionId() != null
                    && !report.actionId().equals(first)) {
                String second = report.actionId();
                await().atMost(Duration.ofSeconds(10)).until(() -> store.find(second).orElseThrow().finished());
                return;
            }
            Thread.sleep(target.probe().interval().toMillis() + 100);
        }
        throw new AssertionError("the checker did not act again on the breach");
    }
}
