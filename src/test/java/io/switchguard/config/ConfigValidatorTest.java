package io.switchguard.config;

import java.util.ArrayList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each configuration mistake stops startup with a message naming its key. */
class ConfigValidatorTest {

    static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("switchguard.cloud.ak", "AK");
        m.put("switchguard.cloud.sk", "SK-value-that-must-not-leak");
        m.put("switchguard.api.keys", "k1");
        m.put("switchguard.targets.orders-cache.kind", "dcs");
        m.put("switchguard.targets.orders-cache.region", "cn-north-4");
        m.put("switchguard.targets.orders-cache.project-id", "a4d31cb63d724fdc8ec96e3a41e47f71");
        m.put("switchguard.targets.orders-cache.instance-id", "5560df16-cebf-4473-95c4-d1b573c16e79");
        m.put("switchguard.targets.orders-cache.probe.redis", "10.0.0.5:6379");
        m.put("switchguard.targets.orders-cache.probe.max-lag", "64MB");
        m.put("switchguard.targets.erp-db.kind", "drs");
        m.put("switchguard.targets.erp-db.region", "cn-north-4");
        m.put("switchguard.targets.erp-db.project-id", "a4d31cb63d724fdc8ec96e3a41e47f71");
        m.put("switchguard.targets.erp-db.job-id", "8c81a12f-2581-4424-a3ab-70ed874jb201");
        m.put("switchguard.targets.erp-db.mode", "source");
        m.put("switchguard.targets.erp-db.probe.max-lag", "30s");
        m.put("switchguard.targets.dw-prod.kind", "dws");
        m.put("switchguard.targets.dw-prod.region", "cn-north-4");
        m.put("switchguard.targets.dw-prod.project-id", "a4d31cb63d724fdc8ec96e3a41e47f71");
        m.put("switchguard.targets.dw-prod.disaster-recovery-id", "e59d6b86-9072-46eb-a996-13f8b44994c1");
        return m;
    }

    static List<String> problems(Map<String, String> props) {
        SmallRyeConfig config = TestConfigs.of(props);
        SwitchguardConfig mapping = config.getConfigMapping(SwitchguardConfig.class);
        ConfiguredTargets targets = TestConfigs.configured(config);
        List<String> problems = new ArrayList<>(targets.problems());
        problems.addAll(ConfigValidator.problems(mapping, targets, Mode.isSandbox(mapping, targets)));
        return problems;
    }

    static void assertProblem(String key, String expectedKeyInMessage, String value) {
        Map<String, String> m = valid();
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        List<String> problems = problems(m);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(expectedKeyInMessage), problems.get(0));
        assertTrue(problems.stream().noneMatch(p -> p.contains("SK-value-that-must-not-leak")));
    }

    @Test
    void aCompleteConfigurationHasNoProblems() {
        assertEquals(List.of(), problems(valid()));
    }

    @Test
    void unknownKindIsNamed() {
        assertProblem("switchguard.targets.orders-cache.kind", "switchguard.targets.orders-cache.kind", "memcached");
    }

    @Test
    void missingIdsAreNamedByTheKindsOwnKey() {
        assertProblem("switchguard.targets.orders-cache.project-id", "switchguard.targets.orders-cache.project-id", null);
        assertProblem("switchguard.targets.orders-cache.instance-id", "switchguard.targets.orders-cache.instance-id", null);
        assertProblem("switchguard.targets.erp-db.job-id", "switchguard.targets.erp-db.job-id", null);
        assertProblem("switchguard.targets.dw-prod.disaster-recovery-id",
                "switchguard.targets.dw-prod.disaster-recovery-id", null);
    }

    @Test
    void idsOutsideTheAllowedAlphabetAreRefused() {
        assertProblem("switchguard.targets.orders-cache.instance-id", "switchguard.targets.orders-cache.instance-id",
                "../../etc/passwd");
        assertProblem("switchguard.targets.orders-cache.project-id", "switchguard.targets.orders-cache.project-id",
                "x".repeat(65));
    }

    @Test
    void drsWithoutModeIsValidWhenOnlyCalledByHand() {
        Map<String, String> m = valid();
        m.remove("switchguard.targets.erp-db.mode");
        assertEquals(List.of(), problems(m), "CONTRACT §4: /switch-vip may carry the mode");
        assertProblem("switchguard.targets.erp-db.mode", "switchguard.targets.erp-db.mode", "both");
    }

    @Test
    void automaticDrsWithoutModeIsRefusedNamingTheKey() {
        Map<String, String> m = valid();
        m.remove("switchguard.targets.erp-db.mode");
        m.put("switchguard.targets.erp-db.auto", "true");
        List<String> problems = problems(m);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("switchguard.targets.erp-db.mode"), problems.get(0));
        assertTrue(problems.get(0).contains("auto"), problems.get(0));
    }

    @Test
    void autoIsTrueFalseOrApproveAndABadValueIsNamed() {
        for (String ok : List.of("true", "false", "approve")) {
            Map<String, String> m = valid();
            m.put("switchguard.targets.orders-cache.auto", ok);
            assertEquals(List.of(), problems(m), ok);
        }
        assertProblem("switchguard.targets.orders-cache.auto", "switchguard.targets.orders-cache.auto", "maybe");
        assertProblem("switchguard.targets.orders-cache.approval.on-timeout",
                "switchguard.targets.orders-cache.approval.on-timeout", "retry");
        assertProblem("switchguard.targets.orders-cache.approval.timeout",
                "switchguard.targets.orders-cache.approval.timeout", "0s");
    }

    @Test
    void approveIsAnAutomaticModeForDrsToo() {
        Map<String, String> m = valid();
        m.remove("switchguard.targets.erp-db.mode");
        m.put("switchguard.targets.erp-db.auto", "approve");
        List<String> problems = problems(m);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("switchguard.targets.erp-db.mode"), problems.get(0));
    }

    @Test
    void aTargetsGroupNeedsABudgetAndGroupNumbersAreChecked() {
        assertProblem("switchguard.targets.orders-cache.group", "switchguard.targets.orders-cache.group", "payments");
        Map<String, String> m = valid();
        m.put("switchguard.targets.orders-cache.group", "payments");
        m.put("switchguard.budget.groups.payments.max-automatic", "2");
        m.put("switchguard.budget.groups.payments.window", "10m");
        assertEquals(List.of(), problems(m));
        m.put("switchguard.budget.groups.payments.max-automatic", "0");
        assertEquals(List.of("switchguard.budget.groups.payments.max-automatic: must be at least 1"), problems(m));
    }

    @Test
    void badSizesAndLagDurationsAreNamed() {
        assertProblem("switchguard.targets.orders-cache.probe.max-lag", "switchguard.targets.orders-cache.probe.max-lag",
                "lots");
        assertProblem("switchguard.targets.erp-db.probe.max-lag", "switchguard.targets.erp-db.probe.max-lag", "64MB");
    }

    @Test
    void endpointsMustBeHttpUrls() {
        assertProblem("switchguard.cloud.endpoints.dcs", "switchguard.cloud.endpoints.dcs", "ftp://dcs.example");
        assertProblem("switchguard.cloud.endpoints.dcs", "switchguard.cloud.endpoints.dcs", "not a url");
    }

    @Test
    void aRealCloudWithoutApiKeysRefusesToStart() {
        assertProblem("switchguard.api.keys", "switchguard.api.keys", null);
    }

    @Test
    void apiKeysNoneIsAnExplicitOptOut() {
        Map<String, String> m = valid();
        m.put("switchguard.api.keys", "none");
        assertEquals(List.of(), problems(m));
    }

    @Test
    void theSandboxNeedsNoKeysNorRegions() {
        Map<String, String> m = valid();
        m.remove("switchguard.cloud.ak");
        m.remove("switchguard.cloud.sk");
        m.remove("switchguard.api.keys");
        m.remove("switchguard.targets.orders-cache.region");
        // Chosen explicitly: configured targets without credentials are the real cloud (CONTRACT §2, ModeTest).
        m.put("switchguard.cloud.provider", "sandbox");
        assertEquals(List.of(), problems(m));
    }

    @Test
    void badDurationsFailWithTheKeyNamed() {
        Map<String, String> m = valid();
        m.put("switchguard.targets.orders-cache.cooldown", "soon");
        m.put("switchguard.targets.orders-cache.probe.failure-threshold", "many");
        List<String> problems = problems(m);
        assertEquals(2, problems.size(), problems.toString());
        for (String key : List.of("cooldown", "probe.failure-threshold")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("switchguard.targets.orders-cache." + key + ": ")),
                    problems.toString());
        }
    }

    @Test
    void sizesReadAsOperatorsWriteThem() {
        assertEquals(64L << 20, Sizes.parseBytes("64MB"));
        assertEquals(512L << 10, Sizes.parseBytes("512kb"));
        assertEquals(1L << 30, Sizes.parseBytes("1GiB"));
        assertEquals(1000, Sizes.parseBytes("1000"));
        assertEquals(-1, Sizes.parseBytes("64 parsecs"));
    }
}
