package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.sandbox.DataPlaneFault;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An automatic decision refused because another switchover holds the target (SG.4090) sent nothing, but there is a
 * switchover behind the refusal: the cooldown holds, so the checker does not decide again every cycle while the
 * other one runs (and act the moment its lock goes, undoing it).
 */
@QuarkusTest
@TestProfile(AutoLockedTest.Profile.class)
class AutoLockedTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    static final String OTHER = "an-operators-swap-still-out";

    @AfterEach
    void unlock() {
        store.unlock("demo-cache", OTHER);
    }

    @Test
    void anAutomaticSwapRefusedForASwitchoverInFlightKeepsTheCooldown() throws InterruptedException {
        assertTrue(store.tryLock("demo-cache", OTHER, Duration.ofMinutes(5)));
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Action refused = untilActed(keeper::renew);
        assertEquals(ActionStatus.REJECTED, refused.status(), refused.toString());
        assertEquals("SG.4090", refused.errorCode(), refused.toString());

        holdsTheCooldown(3);
        assertEquals(0, calls("POST", SWAP));
    }
}
