package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxFault;
import org.junit.jupiter.api.Test;

/**
 * The other side of {@link AutoCutOffTest}: an automatic swap the cloud refused did reach it, so the cooldown
 * spaces the next attempt on the same breach (no refused swap a cycle).
 */
@QuarkusTest
@TestProfile(AutoRefusedTest.Profile.class)
class AutoRefusedTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    @Test
    void anAutomaticSwapTheCloudRefusedStartsTheCooldown() throws InterruptedException {
        cloud.fault(CACHE, SandboxFault.DCS_4855, 1);
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Action refused = untilActed(keeper::renew);
        assertEquals(ActionStatus.FAILED, refused.status(), refused.toString());
        assertEquals("DCS.4855", refused.errorCode(), refused.toString());
        assertEquals(1, calls("POST", SWAP));

        holdsTheCooldown(3);
        assertEquals(1, calls("POST", SWAP));
    }
}
