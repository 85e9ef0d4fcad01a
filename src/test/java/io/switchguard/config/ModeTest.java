package io.switchguard.config;

import io.smallrye.config.SmallRyeConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT §2 "Sandbox or cloud": the sandbox only when chosen or when nothing is configured; the real cloud without
 * credentials is a startup error naming the keys, except in a FaaS deployment (issue 17.1). And no example
 * {@code <placeholder>} is ever taken for a key or credential (issue 17.8).
 */
class ModeTest {

    static final String PROJECT = "a4d31cb63d724fdc8ec96e3a41e47f71";

    static Mode mode(Map<String, String> props) {
        SmallRyeConfig config = TestConfigs.of(props);
        return new Mode(config.getConfigMapping(SwitchguardConfig.class), TestConfigs.configured(config));
    }

    static List<String> placeholders(Map<String, String> props) {
        SmallRyeConfig config = TestConfigs.of(props);
        return Placeholders.problems(config.getConfigMapping(SwitchguardConfig.class), TestConfigs.configured(config));
    }

    static Map<String, String> target() {
        Map<String, String> m = new HashMap<>();
        m.put("switchguard.targets.orders-cache.kind", "dcs");
        m.put("switchguard.targets.orders-cache.region", "eu-west-101");
        m.put("switchguard.targets.orders-cache.project-id", PROJECT);
        m.put("switchguard.targets.orders-cache.instance-id", "5560df16-cebf-4473-95c4-d1b573c16e79");
        return m;
    }

    static String credentialProblem(List<String> problems) {
        return problems.stream().filter(p -> p.startsWith("switchguard.cloud.ak, switchguard.cloud.sk:")).findFirst()
                .orElse(null);
    }

    @Test
    void nothingConfiguredIsTheSandbox() {
        Mode mode = mode(Map.of());
        assertTrue(mode.sandbox());
        assertEquals(List.of(), mode.problems());
    }

    @Test
    void providerSandboxIsTheSandboxEvenWithTargets() {
        Map<String, String> m = target();
        m.put("switchguard.cloud.provider", "sandbox");
        assertTrue(mode(m).sandbox());
    }

    @Test
    void aRealProviderWithoutCredentialsIsAStartupErrorNamingTheKeys() {
        Mode mode = mode(Map.of("switchguard.cloud.provider", "huaweicloud"));
        assertFalse(mode.sandbox(), "provider huaweicloud must never fall back to the simulator");
        String problem = credentialProblem(mode.problems());
        assertTrue(problem != null && problem.contains("provider is huaweicloud"), mode.problems().toString());
    }

    @Test
    void aConfiguredTargetWithoutCredentialsIsAStartupError() {
        Mode mode = mode(target());
        assertFalse(mode.sandbox(), "a configured target means the real cloud");
        String problem = credentialProblem(mode.problems());
        assertTrue(problem != null && problem.contains("targets are configured"), mode.problems().toString());
        assertTrue(problem.contains("SWITCHGUARD_CLOUD_AK"), problem);
    }

    @Test
    void aFaasDeploymentTakesItsCredentialsPerInvocation() {
        Map<String, String> m = target();
        m.put("switchguard.cloud.provider", "huaweicloud");
        m.put("switchguard.faas.enabled", "true");
        Mode mode = mode(m);
        assertFalse(mode.sandbox());
        assertTrue(mode.faas());
        assertFalse(mode.eventMode(), "event mode is the timer function's alone, never a default");
        assertEquals(List.of(), mode.problems());
    }

    @Test
    void eventModeIsAFaasDeployment() {
        Map<String, String> m = target();
        m.put("switchguard.faas.event-mode", "true");
        Mode mode = mode(m);
        assertTrue(mode.faas() && mode.eventMode());
        assertEquals(List.of(), mode.problems());
    }

    @Test
    void configuredCredentialsAreTheRealCloud() {
        Map<String, String> m = target();
        m.put("switchguard.cloud.ak", "AK");
        m.put("switchguard.cloud.sk", "SK");
        Mode mode = mode(m);
        assertFalse(mode.sandbox());
        assertEquals(List.of(), mode.problems());
    }

    @Test
    void placeholderKeysAndCredentialsAreRefusedByName() {
        Map<String, String> m = target();
        m.put("switchguard.api.keys", "real-key-1,<api-keys-from-your-secret-manager>");
        m.put("switchguard.cloud.ak", "<access-key-id-from-your-secret-manager>");
        m.put("switchguard.cloud.sk", " <secret-access-key-from-your-secret-manager> ");
        m.put("switchguard.store.password", "<store-password-from-your-secret-manager>");
        m.put("switchguard.targets.orders-cache.probe.password", "<redis-password>");
        List<String> problems = placeholders(m);
        for (String key : List.of("switchguard.api.keys", "switchguard.cloud.ak", "switchguard.cloud.sk",
                "switchguard.store.password", "switchguard.targets.orders-cache.probe.password")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(key + ":")), key + " not refused: " + problems);
        }
        assertTrue(problems.stream().noneMatch(p -> p.contains("secret-manager>")), "a problem repeats the value");
    }

    @Test
    void realValuesAreNotPlaceholders() {
        Map<String, String> m = target();
        m.put("switchguard.api.keys", "k1,k2");
        m.put("switchguard.cloud.ak", "AKEXAMPLE");
        m.put("switchguard.cloud.sk", "a<b>c");
        assertEquals(List.of(), placeholders(m));
    }
}
