package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.sandbox.DataPlaneFault;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The cooldown counts from the newest switchover by the database's clock, the one clock replicas share: an
 * operator's swap back on a replica whose clock runs behind came after the automatic one, though its own
 * started_at says it came before. Judged by started_at, the cooldown stayed anchored at the automatic swap and
 * ended early by the skew: the breach could swap the operator's swap back inside its cooldown.
 */
@QuarkusTest
@TestProfile(AutoSkewTest.Profile.class)
class AutoSkewTest extends AutoActionTest {

    public static class Profile extends OwnStore {}

    @Inject
    OtherReplica otherReplica;

    @Test
    void aSwapBackOnAReplicaWhoseClockIsBehindRestartsTheCooldown() throws InterruptedException {
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        Action auto = untilActed(keeper::renew);
        assertEquals(ActionStatus.SUCCEEDED, auto.status(), auto.toString());

        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        SwitchoverService replicaB = otherReplica.on(behind);
        Thread.sleep(1_000); // the operator's swap comes well after the automatic one
        Instant beforeManual = Instant.now();
        // Forced: the standby is the old primary, whose data plane is still down.
        Action manual = replicaB.switchover(SwitchoverRequest.manual("demo-cache", "swap", "operator on replica-b",
                null, true, false, null)).journaled().orElseThrow();
        assertEquals(ActionStatus.SUCCEEDED, manual.status(), manual.toString());

        Thread.sleep(cache().probe().interval().toMillis() + 100);
        keeper.renew();
        checker.check(cache());
        Instant anchor = Instant.parse(api().get("/status?target=demo-cache").then().statusCode(200).extract()
                .path("targets[0].lastActionAt"));
        assertFalse(anchor.isBefore(beforeManual.minusMillis(200)), "the cooldown counts from " + anchor
                + ", the automatic swap, not from the operator's at " + beforeManual);
    }
}
