package io.switchguard.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Real SmallRye configuration from a map of keys, with the converters Quarkus registers, for tests without Quarkus. */
public final class TestConfigs {

    private TestConfigs() {}

    public static SmallRyeConfig of(Map<String, String> props) {
        return new SmallRyeConfigBuilder().withMapping(SwitchguardConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 100)).build();
    }

    public static ConfiguredTargets configured(SmallRyeConfig config) {
        return new ConfiguredTargets(config.getConfigMapping(SwitchguardConfig.class), config);
    }

    /** The targets in force for these keys, as the application builds them. */
    public static Targets targets(Map<String, String> props) {
        SmallRyeConfig config = of(props);
        ConfiguredTargets configured = configured(config);
        return new Targets(configured, new Mode(config.getConfigMapping(SwitchguardConfig.class), configured));
    }
}
