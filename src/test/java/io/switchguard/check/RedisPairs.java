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
            LocalRedis master = LocalRedis.master();
            LocalRedis replica = LocalRedis.replicaOf(master);
            PAIRS.put(t, new LocalRedis[] {master, replica});
            String k = "switchguard.targets." + t + ".";
            config.put(k + "kind", "dcs");
            config.put(k + "region", "sandbox-1");
            config.put(k + "project-id", PROJECT);
            config.put(k + "instance-id", instanceId(t));
            config.put(k + "auto", "true");
            config.put(k + "cooldown", "1m");
            config.put(k + "probe.redis", "127.0.0.1:" + master.port());
            config.put(k + "probe.standby", "127.0.0.1:" + replica.port());
            config.put(k + "probe.interval", "1s");
            config.put(k + "probe.timeout", "500ms");
            config.put(k + "probe.failure-threshold", "3");
        }
        // The RPO guard: a standby that lost its master more than 1 s ago may miss writes. The breach comes two
        // intervals or more after the kill, so the link has been down for at least 2 s (Redis counts whole seconds).
        config.put("switchguard.targets.cache-rpo.max-data-loss", "1s");
        return config;
    }

    @Override
    public void stop() {
        LocalRedis.stopAll();
    }
}
