package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.store.ShardKeeper;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An automatic swap fenced off right before its call (this replica's term of the shard ran out) sent nothing: it
 * starts no cooldown, so whoever holds the shard next acts on the same breach.
 */
@QuarkusTest
@TestProfile(AutoFencedTest.Profile.class)
class AutoFencedTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    @Inject
    SwitchoverService service;
    @Inject
    ShardKeeper shards;
    @Inject
    DataSource dataSource;

    @AfterEach
    void restore() {
        service.hook(null);
    }

    @Test
    void anAutomaticSwapFencedOffBeforeItsCallStartsNoCooldown() throws InterruptedException {
        AtomicBoolean first = new AtomicBoolean(true);
        // Between the decision and the call, this replica's terms run out (it stalled past its TTL).
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void beforeCall(Action action) {
                if ("auto".equals(action.trigger()) && first.getAndSet(false)) {
                    io.switchguard.store.Replicas.lapse(dataSource, shards.instanceId());
                }
            }
        });
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Runnable renew = () -> {
            keeper.renew();
            shards.renew();
        };
        Action fenced = untilActed(renew);
        assertEquals(ActionStatus.REJECTED, fenced.status(), fenced.toString());
        assertEquals("SG.4093", fenced.errorCode(), fenced.toString());
        assertEquals(0, calls("POST", SWAP));

        // The shard is held again (here by the same replica, under a new term): nothing was sent, no cooldown holds.
        actsAgain(fenced.actionId(), 4, renew);
        assertEquals(1, calls("POST", SWAP));
    }
}
