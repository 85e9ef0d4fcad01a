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
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pause answered 200 while an automatic switchover was on its way (the roles read before the call can take two
 * read timeouts) holds that switchover too: the checker decided on a target that was not paused then, and the
 * store says right before the call whether it still may.
 */
@QuarkusTest
@TestProfile(AutoPausedTest.Profile.class)
class AutoPausedTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    @Inject
    SwitchoverService service;

    @AfterEach
    void unhook() {
        service.hook(null);
    }

    @Test
    void aPauseSetAfterTheDecisionStopsTheAutomaticCall() throws InterruptedException {
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void beforeCall(Action action) {
                if ("auto".equals(action.trigger())) {
                    checker.pause(cache(), "operator", "maintenance window", null);
                }
            }
        });
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Action refused = untilActed(keeper::renew);

        assertEquals(0, calls("POST", SWAP), "the automatic swap went out after the pause");
        assertEquals(ActionStatus.REJECTED, refused.status(), refused.toString());
        assertEquals("SG.4091", refused.errorCode(), refused.toString());
        assertTrue(refused.detail().contains("paused"), refused.detail());
    }
}
