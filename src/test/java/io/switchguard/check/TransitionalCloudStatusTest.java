package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.config.Targets;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.policy.Verdict;
import io.switchguard.probe.ProbeResult;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 5 end to end: the real checker, the sandbox's simulated Redis pair as the data plane and its
 * cloud as the status API. demo-cache acts automatically; its master dies while the cloud reports the instance
 * RESTARTING. The standby sees its master link down, which alone would confirm; the transitional status holds the
 * action anyway, every cycle, and the swap API is never called.
 */
@QuarkusTest
class TransitionalCloudStatusTest {

    static final String CACHE = "5560df16-cebf-4473-95c4-d1b573c16e79";

    @Inject
    SandboxLauncher sandbox;
    @Inject
    Checker checker;
    @Inject
    Targets targets;
    @Inject
    io.switchguard.store.LeaseKeeper keeper;

    @AfterEach
    void clear() {
        CloudSimulator cloud = sandbox.simulator();
        cloud.clearDataPlaneFault(CACHE);
        DcsSimulator.of(cloud).setStatus(CACHE, "RUNNING");
    }

    @Test
    void aRestartingInstanceIsNeverSwappedAutomatically() throws InterruptedException {
        CloudSimulator cloud = sandbox.simulator();
        cloud.resetCalls();
        DcsSimulator.of(cloud).setStatus(CACHE, "RESTARTING");
        cloud.dataPlaneFault(CACHE, DataPlaneFault.DOWN);
        var target = targets.find("demo-cache").orElseThrow();
        Checker.Report last = null;
        // Past the failure threshold (3), each cycle a probe interval (2 s) apart so every one counts.
        for (int i = 0; i < 5; i++) {
            // This replica must lead to decide at all; a test before may have left the app's keeper stood down.
            keeper.renew();
            last = checker.check(target);
            assertNotEquals(Verdict.SWITCHOVER, last.decision().verdict(), last.decision().reason());
            Thread.sleep(target.probe().interval().toMillis() + 100);
        }
        assertEquals(ProbeResult.Health.TRANSITIONAL, last.signals().cloud().health(), last.signals().toString());
        assertEquals("CLOUD_TRANSITIONAL", last.decision().diagnosis().name(), last.decision().reason());
        assertTrue(last.decision().reason().contains("RESTARTING"), last.decision().reason());
        assertEquals(0, cloud.count("POST", ".*" + Pattern.quote("/instances/" + CACHE + "/swap")));
    }
}
