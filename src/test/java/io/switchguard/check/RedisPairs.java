package io.switchguard.check;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchguard.probe.LocalRedis;
import java.util.HashMap;
import java.util.Map;

/**
 * Real redis-server master/replica pairs as the data plane of sandbox dcs targets, checked every second with a
 * failure threshold of 3. Each target gets its own pair so the scenarios do not touch each other.
 */
public class RedisPairs implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT = "0000000000000000000000000000auto";
    static final String[] TARGETS = {"cache-down", "cache-flap", "cache-paused", "cache-rpo"};
    static final Map<String, LocalRedis[]> PAIRS = new HashMap<>();

    static String instanceId(String target) {
        return "inst-" + target;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("switchguard.check.scheduler", "true");
        for (String t : TARGETS) {
            PAIRS.put(t, pair(config, t));
            config.put("switchguard.targets." + t + ".probe.interval", "1s");
            config.put("switchguard.targets." + t + ".probe.timeout", "500ms");
        }
        // The RPO guard: a standby that lost its master more than 1 s ago may miss writes. The breach comes two
        // intervals or more after the kill, so the link has been down for at least 2 s (Redis counts whole seconds).
        config.put("switchguard.targets.cache-rpo.max-data-loss", "1s");
        return config;
    }

    /**
     * Starts a master and its replica and configures {@code target} on them: sandbox dcs, auto, cooldown 1 min,
     * threshold 3 (the caller sets the interval and timeout).
     */
    static LocalRedis[] pair(Map<String, String> config, String target) {
        LocalRedis master = LocalRedis.master();
        LocalRedis replica = LocalRedis.replicaOf(master);
        String k = "switchguard.targets." + target + ".";
        config.put(k + "kind", "dcs");
        config.put(k + "region", "sandbox-1");
        config.put(k + "project-id", PROJECT);
        config.put(k + "instance-id", instanceId(target));
        config.put(k + "auto", "true");
        config.put(k + "cooldown", "1m");
        config.put(k + "probe.redis", "127.0.0.1:" + master.port());
        config.put(k + "probe.standby", "127.0.0.1:" + replica.port());
        config.put(k + "probe.failure-threshold", "3");
        return new LocalRedis[] {master, replica};
    }

    @Override
    public void stop() {
        LocalRedis.stopAll();
    }
}
