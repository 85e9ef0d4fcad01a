package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.check.StateStore;
import io.switchguard.config.Target;
import io.switchguard.sandbox.DataPlaneFault;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 item 2: a process that stopped (or lost its store) between saving an automatic decision and journaling
 * it sent nothing, so the decision starts no cooldown.
 */
@QuarkusTest
@TestProfile(AutoUnjournaledTest.Profile.class)
class AutoUnjournaledTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    @Inject
    StateStore states;

    @Test
    void aDecisionThatNeverReachedTheJournalStartsNoCooldown() throws InterruptedException {
        Target target = cache();
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        keeper.renew();
        checker.check(target);
        // What a process leaves that stopped (or lost its store) between saving its decision and journaling it: the
        // breach's state with the decision's time as its last action, within the cooldown (1m here), and no entry.
        StateStore.Saved saved = states.load("demo-cache").orElseThrow();
        states.saveCheck("demo-cache", new StateStore.Saved(saved.state().withLastActionAt(
                Instant.now().minusSeconds(5)), saved.lastProbeAt(), saved.lastDecision()));
        Thread.sleep(target.probe().interval().toMillis() + 100);
        actsAgain(null, 4, keeper::renew);
        assertEquals(1, calls("POST", SWAP));
    }
}
