package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.sandbox.DataPlaneFault;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 item 2 on the automatic path: an automatic swap that was never sent (no credentials at the call) ends
 * FAILED SG.5030 and starts no cooldown: the checker acts again on the next counted cycle of the same breach.
 */
@QuarkusTest
@TestProfile(AutoNotSentTest.Profile.class)
class AutoNotSentTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    /** The test configuration's own key pair (application.yaml), what the sandbox signs with. */
    static final CloudAuth.AkSk KEYS = new CloudAuth.AkSk("TESTACCESSKEY", "test-sk-never-logged-7d1e", null);

    @Inject
    SwitchoverService service;
    @Inject
    CloudAuth auth;

    @AfterEach
    void restore() {
        service.hook(null);
        auth.useSandbox(KEYS);
    }

    @Test
    void anAutomaticSwapThatWasNeverSentStartsNoCooldown() throws InterruptedException {
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
        Action notSent = untilActed(keeper::renew);
        assertEquals(ActionStatus.FAILED, notSent.status(), notSent.toString());
        assertEquals("SG.5030", notSent.errorCode(), notSent.toString());
        assertEquals(0, calls("POST", SWAP));
        service.hook(null);

        // The same breach, the credentials back: nothing was sent, so no cooldown holds the next decision.
        actsAgain(notSent.actionId(), 3, keeper::renew);
        assertEquals(1, calls("POST", SWAP));
        assertEquals(List.of("failed"), events("demo-cache", notSent.actionId()));
    }
}
