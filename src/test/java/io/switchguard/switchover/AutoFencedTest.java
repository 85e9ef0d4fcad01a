package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.CACHE;
import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.check.Checker;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.policy.Verdict;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.ShardKeeper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
class AutoFencedTest extends SandboxSwitchoverTest {

    /** Its own store: no other test's switchover on demo-cache starts a cooldown here. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new SwitchoverTestProfile().getConfigOverrides());
            m.put("switchguard.store.url", "jdbc:h2:mem:autofenced;DB_CLOSE_DELAY=-1");
            return m;
        }
    }

    @Inject
    SwitchoverService service;
    @Inject
    Checker checker;
    @Inject
    LeaseKeeper keeper;
    @Inject
    ShardKeeper shards;
    @Inject
    DataSource dataSource;
    @Inject
    Targets targets;

    @AfterEach
    void restore() {
        service.hook(null);
        cloud.clearDataPlaneFault(CACHE);
    }

    @Test
    void anAutomaticSwapFencedOffBeforeItsCallStartsNoCooldown() throws InterruptedException {
        Target target = targets.find("demo-cache").orElseThrow();
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
        Action fenced = null;
        for (int i = 0; i < 8 && fenced == null; i++) {
            keeper.renew();
            shards.renew();
            Checker.Report report = checker.check(target);
            if (report.actionId() != null) {
                fenced = store.find(report.actionId()).orElseThrow();
            }
            Thread.sleep(target.probe().interval().toMillis() + 100);
        }
        assertTrue(fenced != null, "the checker never acted");
        assertEquals(ActionStatus.REJECTED, fenced.status(), fenced.toString());
        assertEquals("SG.4093", fenced.errorCode(), fenced.toString());
        assertEquals(0, calls("POST", SWAP));

        // The shard is held again (here by the same replica, under a new term): nothing was sent, no cooldown holds.
        String actedOn = null;
        for (int i = 0; i < 4 && actedOn == null; i++) {
            keeper.renew();
            shards.renew();
            Checker.Report report = checker.check(target);
            assertNotEquals("cooldown", report.decision().guard(), report.decision().reason());
            if (report.decision().verdict() == Verdict.SWITCHOVER && report.actionId() != null
                    && !report.actionId().equals(fenced.actionId())) {
                actedOn = report.actionId();
            } else {
                Thread.sleep(target.probe().interval().toMillis() + 100);
            }
        }
        assertTrue(actedOn != null, "the checker did not act again on the breach");
        assertEquals(1, calls("POST", SWAP));
        String second = actedOn;
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(second).orElseThrow().finished());
    }
}
