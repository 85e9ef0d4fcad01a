package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.check.Checker;
import io.switchguard.check.StateStore;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 item 2: a process that stopped (or lost its store) between saving an automatic decision and journaling
 * it sent nothing, so the decision starts no cooldown.
 */
@QuarkusTest
@TestProfile(AutoUnjournaledTest.Profile.class)
class AutoUnjournaledTest extends SandboxSwitchoverTest {

    /** Its own store: no other test's switchover on demo-cache starts a cooldown here. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new SwitchoverTestProfile().getConfigOverrides());
            m.put("switchguard.store.url", "jdbc:h2:mem:autounjournaled;DB_CLOSE_DELAY=-1");
            return m;
        }
    }

    @Inject
    Checker checker;
    @Inject
    LeaseKeeper keeper;
    @Inject
    StateStore states;
    @Inject
    Targets targets;

    @AfterEach
    void restore() {
        cloud.clearDataPlaneFault(CACHE);
    }

    @Test
    void aDecisionThatNeverReachedTheJournalStartsNoCooldown() throws InterruptedException {
        Target target = targets.find("demo-cache").orElseThrow();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        keeper.renew();
        checker.check(target);
        // What a process leaves that stopped (or lost its store) between saving its decision and journaling it: the
        // breach's state with the decision's time as its last action, within the cooldown (1m here), and no entry.
        StateStore.Saved saved = states.load("demo-cache").orElseThrow();
        states.saveCheck("demo-cache", new StateStore.Saved(saved.state().withLastActionAt(
                Instant.now().minusSeconds(5)), saved.lastProbeAt(), saved.lastDecision()));
        Thread.sleep(target.probe().interval().toMillis() + 100);
        Action none = new Action("none", "demo-cache", null, null, null, null, null, null, null, null, false, false,
                Instant.now(), null, null, null, null, List.of());
        AutoNotSentTest.actsAgain(checker, store, target, none, 4, keeper::renew);
        assertEquals(1, calls("POST", SWAP));
    }
}
