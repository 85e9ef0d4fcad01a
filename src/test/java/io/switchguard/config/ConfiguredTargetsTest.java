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
import java.util.Map;
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
}
