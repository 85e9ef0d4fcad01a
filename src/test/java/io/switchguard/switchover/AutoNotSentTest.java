package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.check.Checker;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 item 2 on the automatic path: an automatic swap that was never sent (no credentials at the call) ends
 * FAILED SG.5030 and starts no cooldown: the checker acts again on the next counted cycle of the same breach.
 */
@QuarkusTest
@TestProfile(AutoNotSentTest.Profile.class)
class AutoNotSentTest extends SandboxSwitchoverTest {

    /** Its own store: no other test's switchover on demo-cache starts a cooldown here. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new SwitchoverTestProfile().getConfigOverrides());
            m.put("switchguard.store.url", "jdbc:h2:mem:autonotsent;DB_CLOSE_DELAY=-1");
            return m;
        }
    }

    /** The test configuration's own key pair (application.yaml), what the sandbox signs with. */
    static final CloudAuth.AkSk KEYS = new CloudAuth.AkSk("TESTACCESSKEY", "test-sk-never-logged-7d1e", null);

    @Inject
    SwitchoverService service;
    @Inject
    Checker checker;
    @Inject
    CloudAuth auth;
    @Inject
    LeaseKeeper keeper;
    @Inject
    Targets targets;

    @AfterEach
    void restore() {
        service.hook(null);
        auth.useSandbox(KEYS);
        cloud.clearDataPlaneFault(CACHE);
    }

    @Test
    void anAutomaticSwapThatWasNeverSentStartsNoCooldown() throws InterruptedException {
        Target target = targets.find("demo-cache").orElseThrow();
        // The credentials are gone at the call (a FaaS invocation without its agency keys): nothing can be signed.
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void beforeCall(Action action) {
                auth.useSandbox(null);
            }

            @Override
            public void afterCall(Action action) {
                auth.useSandbox(KEYS);
            }
        });
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Action notSent = untilActed(checker, store, target, keeper::renew);
        assertEquals(ActionStatus.FAILED, notSent.status(), notSent.toString());
        assertEquals("SG.5030", notSent.errorCode(), notSent.toString());
        assertEquals(0, calls("POST", SWAP));
        service.hook(null);

        // The same breach, the credentials back: nothing was sent, so no cooldown holds the next decision.
        actsAgain(checker, store, target, notSent, 3, keeper::renew);
        assertEquals(1, calls("POST", SWAP));
        assertEquals(List.of("failed"), events("demo-cache", notSent.actionId()));
    }

    /** Checks the breached target cycle by cycle (renew first) until the checker acts; that first action. */
    static Action untilActed(Checker checker, ActionStore store, Target target, Runnable renew)
            throws InterruptedException {
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

    /**
     * The same breach after {@code first}, which sent nothing: within {@code cycles} the checker acts again, never
     * held back by a cooldown; waits for that action to finish.
     */
    static void actsAgain(Checker checker, ActionStore store, Target target, Action first, int cycles, Runnable renew)
            throws InterruptedException {
        for (int i = 0; i < cycles; i++) {
            renew.run();
            Checker.Report report = checker.check(target);
            assertNotEquals("cooldown", report.decision().guard(), report.decision().reason());
            if (report.decision().verdict() == Verdict.SWITCHOVER && report.actionId() != null
                    && !report.actionId().equals(first.actionId())) {
                String second = report.actionId();
                await().atMost(Duration.ofSeconds(10)).until(() -> store.find(second).orElseThrow().finished());
                return;
            }
            Thread.sleep(target.probe().interval().toMillis() + 100);
        }
        throw new AssertionError("the checker did not act again on the breach");
    }
}
