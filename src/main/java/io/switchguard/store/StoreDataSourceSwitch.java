package io.switchguard.store;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Activates the datasource that {@code switchguard.store.url} names and deactivates the other
 * ({@code quarkus.datasource."h2|pg".active}); Flyway follows, migrating only the active one. An
 * unsupported URL leaves both off, and the startup check then refuses to start naming the key.
 *
 * <p>Property expressions cannot test a prefix, hence a config source computed from the URL. Its
 * ordinal is low, so an explicit {@code quarkus.datasource.*.active} in any configuration file wins.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}.
 */
public class StoreDataSourceSwitch implements ConfigSourceFactory {

    static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue("switchguard.store.url");
        StoreDatabase chosen = StoreDatabase.of(url == null ? null : url.getValue()).orElse(null);
        Map<String, String> properties = new HashMap<>();
        for (StoreDatabase db : StoreDatabase.values()) {
            properties.put("quarkus.datasource." + db.datasource() + ".active", Boolean.toString(db == chosen));
        }
        return List.of(new PropertiesConfigSource(properties, "switchguard store datasource switch", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
