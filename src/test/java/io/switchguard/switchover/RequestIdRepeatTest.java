package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.SWITCH_VIP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.kinds.drs.DrsSimulator;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A requestId returns its first call's answer on any replica (CONTRACT §4), also while that call is still being
 * verified: the entry then already reads SUBMITTED/PENDING (written at the first read that did not settle), which is
 * not the answer its caller gets once the state confirms.
 */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class RequestIdRepeatTest extends SandboxSwitchoverTest {

    @Inject
    SwitchoverService service;
    @Inject
    OtherReplica otherReplica;

    @Test
    void aRepeatOnAnotherReplicaWhileTheFirstCallIsVerifiedGetsTheFirstCallsAnswer() throws Exception {
        String requestId = "repeat-mid-verify-" + System.nanoTime();
        // The job reads switching for a second after the switch-vip: the first read does not settle, and the entry
        // reads SUBMITTED/PENDING while its caller waits (verify-timeout 2 s here) for the state to confirm.
        DrsSimulator.of(cloud).setSwitchTime(Duration.ofSeconds(1));
        try {
            repeatMidVerify(requestId);
        } finally {
            DrsSimulator.of(cloud).setSwitchTime(Duration.ofMillis(300));
        }
    }

    private void repeatMidVerify(String requestId) throws Exception {
        CompletableFuture<SwitchoverResult> first = CompletableFuture.supplyAsync(() -> service.switchover(
                SwitchoverRequest.manual("demo-db", "switch-vip", "first", requestId, false, false, null)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> store
                .findByRequestId(requestId).map(a -> a.status() == ActionStatus.SUBMITTED).orElse(false));

        SwitchoverService replicaB = otherReplica.on(Clock.systemUTC());
        Action repeat = replicaB.switchover(SwitchoverRequest.manual("demo-db", "switch-vip", "repeat", requestId,
                false, false, null)).journaled().orElseThrow();
        Action answered = first.get(30, TimeUnit.SECONDS).journaled().orElseThrow();

        assertEquals(ActionStatus.SUCCEEDED, answered.status(), answered.toString());
        assertEquals(answered.actionId(), repeat.actionId());
        assertEquals(answered.status() + "/" + answered.verification(), repeat.status() + "/" + repeat.verification(),
                "the repeat's answer");
        assertEquals(1, calls("POST", SWITCH_VIP));
    }
}
