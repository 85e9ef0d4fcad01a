package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.check.Checker;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The other side of {@link AutoCutOffTest}: an automatic swap the cloud refused did reach it, so the cooldown
 * spaces the next attempt on the same breach (no refused swap a cycle).
 */
@QuarkusTest
@TestProfile(AutoRefusedTest.Profile.class)
class AutoRefusedTest extends SandboxSwitchoverTest {

    /** Its own store: no other test's switchover on demo-cache starts a cooldown here. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new SwitchoverTestProfile().getConfigOverrides());
            m.put("switchguard.store.url", "jdbc:h2:mem:autorefused;DB_CLOSE_DELAY=-1");
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
    void restore() {
        cloud.clearDataPlaneFault(CACHE);
    }

    @Test
    void anAutomaticSwapTheCloudRefusedStartsTheCooldown() throws InterruptedException {
        Target target = targets.find("demo-cache").orElseThrow();
        cloud.fault(CACHE, SandboxFault.DCS_4855, 1);
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Action refused = AutoNotSentTest.untilActed(checker, store, target, keeper::renew);
        assertEquals(ActionStatus.FAILED, refused.status(), refused.toString());
        assertEquals("DCS.4855", refused.errorCode(), refused.toString());
        assertEquals(1, calls("POST", SWAP));

        for (int i = 0; i < 3; i++) {
            Thread.sleep(target.probe().interval().toMillis() + 100);
            keeper.renew();
            Checker.Report report = checker.check(target);
            assertEquals(Verdict.REJECTED, report.decision().verdict(), report.decision().reason());
            assertEquals("cooldown", report.decision().guard(), report.decision().reason());
        }
        assertEquals(1, calls("POST", SWAP));
    }
}
