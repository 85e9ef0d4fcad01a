package io.switchguard.store;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Activates the datasource that {@code switchguard.store.url} names and deactivates the other
 * ({@code quarkus.datasource."h2|pg".active}); only the active one is migrated. An unsupported URL leaves
 * both off, and the startup check then refuses to start naming the key. An explicit
 * {@code quarkus.datasource.*.active} anywhere in the configuration wins.
 *
 * <p>An interceptor, not a config source factory: a factory's context does not see the sources other factories
 * make, and the YAML files named by {@code QUARKUS_CONFIG_LOCATIONS} are made by one (SmallRye Config 3.16). An
 * interceptor asks the final chain, so the URL counts wherever the README says it may be set: config/application.yaml,
 * a QUARKUS_CONFIG_LOCATIONS file, the environment, system properties. Registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@Priority(StoreDataSourceSwitch.PRIORITY)
public class StoreDataSourceSwitch implements ConfigSourceInterceptor {

    static final int PRIORITY = 150;
    static final String SOURCE = "switchguard store datasource switch";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue explicit = context.proceed(name);
        if (explicit != null) {
            return explicit;
        }
        Optional<StoreDatabase> switched = switched(name);
        if (switched.isEmpty()) {
            return null;
        }
        // Restart: the URL as the whole chain resolves it, profiles and expressions included.
        ConfigValue url = context.restart("switchguard.store.url");
        StoreDatabase chosen = StoreDatabase.of(url == null ? null : url.getValue()).orElse(null);
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(switched.get() == chosen))
                .withConfigSourceName(SOURCE).withConfigSourceOrdinal(PRIORITY).build();
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        for (StoreDatabase db : StoreDatabase.values()) {
            names.add(activeKey(db));
        }
        return names.iterator();
    }

    /** The database whose {@code active} key this is, quoted or not. */
    private static Optional<StoreDatabase> switched(String name) {
        String unquoted = name.replace("\"", "");
        for (StoreDatabase db : StoreDatabase.values()) {
            if (unquoted.equals(activeKey(db))) {
                return Optional.of(db);
            }
        }
        return Optional.empty();
    }

    private static String activeKey(StoreDatabase db) {
        return "quarkus.datasource." + db.datasource() + ".active";
    }
}
