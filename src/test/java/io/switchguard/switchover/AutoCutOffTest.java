package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.config.Target;
import io.switchguard.sandbox.DataPlaneFault;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 items 2 and 5: an automatic swap whose process stopped before the call sent nothing, so it starts no
 * cooldown: the entry reconciliation ends FAILED "not sent" does not hold the next decision on the same breach back
 * (nor does a decision that never reached the journal: {@link AutoUnjournaledTest}).
 */
@QuarkusTest
@TestProfile(AutoCutOffTest.Profile.class)
class AutoCutOffTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    /** The process stops here: nothing after this point of the switchover runs, not even its error handling. */
    static final class Stopped extends Error {
        Stopped() {
            super("the process stopped (test)");
        }
    }

    @Inject
    SwitchoverService service;
    @Inject
    Follower follower;

    @AfterEach
    void restore() {
        service.hook(null);
    }

    @Test
    void anAutomaticSwapCutOffBeforeItsCallStartsNoCooldownOnceReconciled() throws InterruptedException {
        Target target = cache();
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void beforeCall(Action action) {
                throw new Stopped();
            }
        });
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        assertThrows(Stopped.class, () -> {
            for (int i = 0; i < 8; i++) {
                keeper.renew();
                checker.check(target);
                Thread.sleep(target.probe().interval().toMillis() + 100);
            }
        });
        service.hook(null);
        // What the restarted process finds once the dead one's lock has lapsed (the unwinding gave it back here).
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")));
        assertEquals(1, follower.reconcile());
        Action left = store.list("demo-cache", 1).get(0);
        assertEquals(ActionStatus.FAILED, left.status(), left.toString());
        assertEquals("SG.5030", left.errorCode(), left.toString());
        assertEquals(0, calls("POST", SWAP));

        // The same breach: nothing was sent, so no cooldown holds the next decision.
        actsAgain(left.actionId(), 3, keeper::renew);
        assertEquals(1, calls("POST", SWAP));
    }
}
