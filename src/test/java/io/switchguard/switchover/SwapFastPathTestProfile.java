package io.switchguard.switchover;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@link SwitchoverTestProfile} with the journal seen through {@link CountingStore}, on a store of its own. */
public class SwapFastPathTestProfile extends SwitchoverTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("switchguard.store.url", "jdbc:h2:mem:swap-fast-path;DB_CLOSE_DELAY=-1");
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(CountingStore.class);
    }
}
