package io.switchguard.check;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.probe.BlockingResp;
import io.switchguard.probe.LocalRedis;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.RespClient.Reply;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fast mode on the schedule (issue #13 part 5): sandbox dcs targets on real Redis pairs with {@code probe.fast: true},
 * interval 250 ms, threshold 3. A closed kept connection is one failed probe at once, never a breach by itself; a
 * dead master is switched over once.
 */
@QuarkusTest
@WithTestResource(FastModeTest.FastPairs.class)
class FastModeTest {

    static final String[] TARGETS = {"fast-blip", "fast-down"};
    static final Map<String, LocalRedis[]> PAIRS = new HashMap<>();

    public static class FastPairs implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            config.put("switchguard.check.scheduler", "true");
            config.put("switchguard.store.url", "jdbc:h2:mem:fast-mode;DB_CLOSE_DELAY=-1");
            for (String t : TARGETS) {
                PAIRS.put(t, RedisPairs.pair(config, t));
                String k = "switchguard.targets." + t + ".";
                config.put(k + "probe.fast", "true");
                config.put(k + "probe.interval", "250ms");
                config.put(k + "probe.timeout", "200ms");
            }
            return config;
        }

        @Override
        public void stop() {
            LocalRedis.stopAll();
        }
    }

    @Inject
    SandboxLauncher sandbox;
    @Inject
    ActionStore journal;
    @Inject
    StateStore states;
    @Inject
    Checker checker;

    long swaps(String target) {
        return sandbox.simulator().count("POST", ".*" + Pattern.quote("/instances/" + RedisPairs.instanceId(target) + "/swap"));
    }

    long downs(String target) {
        return checker.reading(target).map(r -> r.probes(ProbeResult.Health.DOWN)).orElse(0L);
    }

    @Test
    void aClosedConnectionIsOneFailedProbeAtOnceAndNeverABreachByItself() throws Exception {
        String target = "fast-blip";
        await().atMost(Duration.ofSeconds(10)).until(() -> states.state(target).healthy()
                && checker.reading(target).map(r -> r.probes(ProbeResult.Health.UP) > 0).orElse(false));
        long before = downs(target);
        int kills = 8;
        for (int i = 0; i < kills; i++) {
            try (BlockingResp admin = BlockingResp.connect(PAIRS.get(target)[0].address(), Duration.ofSeconds(1))) {
                // The checker's kept connection (the replica's link is not a normal client, nor is the one asking).
                assertTrue(admin.call("CLIENT", "KILL", "TYPE", "normal") instanceof Reply.Int);
            }
            Thread.sleep(1000);
        }
        assertTrue(downs(target) - before >= kills, "each closed connection counted as a failed probe: "
                + (downs(target) - before) + " of " + kills);
        assertEquals(0, swaps(target));
        assertEquals(0, states.state(target).breaches());
        assertEquals(List.of(), journal.list(target, 10));
    }

    @Test
    void aKilledMasterIsSwitchedOverOnce() throws Exception {
        String target = "fast-down";
        await().atMost(Duration.ofSeconds(10)).until(() -> states.state(target).healthy()
                && checker.reading(target).map(r -> r.probes(ProbeResult.Health.UP) > 0).orElse(false));
        PAIRS.get(target)[0].stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> swaps(target) == 1);
        Thread.sleep(1000);
        assertEquals(1, swaps(target), "once, and cooling down after");
    }
}
