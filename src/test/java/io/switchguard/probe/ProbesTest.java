package io.switchguard.probe;

import io.switchguard.config.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.switchguard.config.Mode;
import io.switchguard.config.ProbeSpec;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which probes a target's configuration makes. */
class ProbesTest {

    /** The probe section as a target resolves it from real configuration. */
    static ProbeSpec probeConfig(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("switchguard.targets.cache.kind", "dcs");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put("switchguard.targets.cache.probe." + keyValues[i], keyValues[i + 1]);
        }
        return TestConfigs.targets(props).find("cache").orElseThrow().probe();
    }

    @Test
    void redisDataPlaneExpectsAMaster() {
        Probe p = Probes.dataPlane(TestNet.NET, probeConfig("redis", "10.0.0.5:6379", "password", "Cfg-2e7-secret", "timeout", "3s"))
                .orElseThrow();

        assertInstanceOf(RedisProbe.class, p);
        assertEquals("redis 10.0.0.5:6379 (master)", p.describe());
        assertTrue(p.toString().contains("timeout PT3S"), p.toString());
        assertFalse(p.toString().contains("Cfg-2e7-secret"), p.toString());
    }

    @Test
    void redisTlsFromConfigurationAlwaysVerifiesTheHostName() {
        Probe p = Probes.dataPlane(TestNet.NET, probeConfig("redis", "[fd00::5]:6379", "tls", "true")).orElseThrow();

        assertEquals("redis [fd00::5]:6379 (master, tls)", p.describe());
        assertTrue(p.toString().contains("tls VERIFY"), p.toString());
    }

    @Test
    void tcpDataPlane() {
        Probe p = Probes.dataPlane(TestNet.NET, probeConfig("tcp", "db.internal:5432")).orElseThrow();

        assertInstanceOf(TcpProbe.class, p);
        assertEquals("tcp db.internal:5432", p.describe());
    }

    @Test
    void httpDataPlane() {
        Probe p = Probes.dataPlane(TestNet.NET, probeConfig("http", "https://app.internal/health")).orElseThrow();

        assertInstanceOf(HttpProbe.class, p);
        assertEquals("http https://app.internal/health", p.describe());
    }

    @Test
    void noDataPlaneConfiguredGivesNone() {
        assertTrue(Probes.dataPlane(TestNet.NET, probeConfig("cloud", "true")).isEmpty());
        assertTrue(Probes.standby(TestNet.NET, probeConfig("redis", "10.0.0.5:6379")).isEmpty());
    }

    @Test
    void standbyExpectsAReplicaWithTheSameCredentials() {
        Probe p = Probes.standby(TestNet.NET, probeConfig("redis", "10.0.0.5:6379", "standby", "10.0.1.5:6379", "user", "watcher",
                "password", "Cfg-2e7-secret")).orElseThrow();

        assertEquals("redis 10.0.1.5:6379 (replica)", p.describe());
        assertTrue(p.toString().contains("user watcher, password set"), p.toString());
    }
}
