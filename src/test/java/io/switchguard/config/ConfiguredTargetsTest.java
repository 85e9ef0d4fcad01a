package io.switchguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The targets are read in work linear in their number (issue #13 part 7: 10,000 targets on one checker). */
class ConfiguredTargetsTest {

    static final int TARGETS = 300;

    @Test
    void startingWithManyTargetsWalksThePropertyNamesAFewTimesNotOncePerTarget() {
        Map<String, String> props = new HashMap<>();
        props.put("switchguard.cloud.provider", "sandbox");
        for (int i = 0; i < TARGETS; i++) {
            String key = "switchguard.targets.t-" + i + ".";
            props.put(key + "kind", "drs");
            props.put(key + "job-id", "job-" + i);
            props.put(key + "mode", "source");
            props.put(key + "probe.tcp", "127.0.0.1:" + (10000 + i));
            props.put(key + "probe.interval", "1s");
        }
        // Uncached, every walk over the property names reaches the interceptor: a walk per target is quadratic work
        // (SmallRye's mapped map of groups walked them all for each target's groups).
        AtomicInteger walks = new AtomicInteger();
        SmallRyeConfig config = new SmallRyeConfigBuilder().setCachePropertyNames(false)
                .withMapping(SwitchguardConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withInterceptors(new ConfigSourceInterceptor() {
                    @Override
                    public io.smallrye.config.ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
                        return context.proceed(name);
                    }

                    @Override
                    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
                        walks.incrementAndGet();
                        return context.iterateNames();
                    }
                })
                .withSources(new PropertiesConfigSource(props, "test", 100)).build();
        SwitchguardConfig mapping = config.getConfigMapping(SwitchguardConfig.class);
        ConfiguredTargets configured = TestConfigs.configured(config);
        Targets targets = new Targets(configured, new Mode(mapping, configured));

        assertEquals(TARGETS, targets.all().size());
        assertEquals("127.0.0.1:10299", targets.find("t-299").orElseThrow().probe().tcp());
        assertEquals(Duration.ofSeconds(1), targets.find("t-299").orElseThrow().probe().interval());
        assertTrue(walks.get() <= 10, "property names walked " + walks.get() + " times for " + TARGETS + " targets");
    }

    @Test
    void anEnvironmentVariableOverridesAKeyOfAConfiguredTarget() {
        SmallRyeConfig config = withEnvironment(Map.of(
                "SWITCHGUARD_TARGETS_ORDERS_CACHE_PROBE_TIMEOUT", "3s",
                "SWITCHGUARD_TARGETS_ORDERS_CACHE_AUTO", "true"), Map.of(
                "switchguard.targets.orders-cache.kind", "dcs",
                "switchguard.targets.orders-cache.probe.redis", "10.0.0.5:6379",
                "switchguard.targets.orders-cache.probe.timeout", "1s"));
        Target t = new Targets(TestConfigs.configured(config), new Mode(config.getConfigMapping(SwitchguardConfig.class),
                TestConfigs.configured(config))).find("orders-cache").orElseThrow();

        assertEquals(Duration.ofSeconds(3), t.probe().timeout());
        assertTrue(t.auto());
        assertEquals("10.0.0.5:6379", t.probe().redis());
    }

    @Test
    void aMisspeltKeyIsNamedNotIgnored() {
        Map<String, String> props = new HashMap<>(ConfigValidatorTest.valid());
        props.put("switchguard.targets.orders-cache.probe.intervall", "1s");
        SmallRyeConfig config = TestConfigs.of(props);

        assertEquals(1, TestConfigs.configured(config).problems().size());
        assertTrue(TestConfigs.configured(config).problems().get(0)
                .startsWith("switchguard.targets.orders-cache.probe.intervall: unknown key"));
    }

    @Test
    void aTargetNamedOnlyByEnvironmentVariablesIsRead() {
        SmallRyeConfig config = withEnvironment(Map.of(
                "SWITCHGUARD_TARGETS_CACHE_KIND", "dcs",
                "SWITCHGUARD_TARGETS_CACHE_INSTANCE_ID", "inst-1",
                "SWITCHGUARD_TARGETS_ORDERS_CACHE_KIND", "drs",
                "SWITCHGUARD_TARGETS_ORDERS_CACHE_PROBE_MAX_LAG", "30s"), Map.of());
        ConfiguredTargets configured = TestConfigs.configured(config);

        assertEquals(List.of(), configured.problems());
        assertEquals(java.util.Set.of("cache", "orders-cache"), configured.byName().keySet());
        assertEquals(Optional.of("inst-1"), configured.byName().get("cache").instanceId());
        assertEquals(Optional.of("30s"), configured.byName().get("orders-cache").probe().orElseThrow().maxLag());
    }

    /** Environment variables over a file's keys, as Quarkus orders them. */
    static SmallRyeConfig withEnvironment(Map<String, String> environment, Map<String, String> file) {
        return new SmallRyeConfigBuilder().withMapping(SwitchguardConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new io.smallrye.config.EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(file, "file", 100)).build();
    }
}
