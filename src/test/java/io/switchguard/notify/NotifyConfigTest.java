package io.switchguard.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.switchguard.config.SwitchguardConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The notify keys: defaults, derived SMN region/project, and each mistake named by its key. */
class NotifyConfigTest {

    static SwitchguardConfig.Notify notify(Map<String, String> props) {
        return new SmallRyeConfigBuilder()
                .withMapping(SwitchguardConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 100))
                .build().getConfigMapping(SwitchguardConfig.class).notifications();
    }

    static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put("switchguard.notify." + kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        SwitchguardConfig.Notify n = notify(with());
        assertEquals(List.of(), NotifyConfig.sinks(n, false));
        assertEquals(Duration.ofSeconds(1), n.firstRetry());
        assertEquals(Duration.ofMinutes(5), n.maxBackoff());
        assertEquals(Duration.ofHours(24), n.maxAge());
        assertEquals(Duration.ofDays(7), n.retention());
        assertEquals(Duration.ofSeconds(2), n.connectTimeout());
        assertEquals(Duration.ofSeconds(10), n.readTimeout());
        assertTrue(NotifyConfig.source(n).startsWith("/switchguard/"));
        assertEquals(List.of(), NotifyConfig.problems(n));
    }

    @Test
    void bothSinksAndSmnRegionAndProjectFromTheUrn() {
        SwitchguardConfig.Notify n = notify(with("webhook", "https://hooks.example/sg",
                "smn.topic-urn", "urn:smn:eu-de:0123456789abcdef0123456789abcdef:switchguard"));
        assertEquals(List.of("webhook", "smn"), NotifyConfig.sinks(n, false));
        assertEquals(Optional.of("eu-de"), NotifyConfig.smnRegion(n.smn()));
        assertEquals(Optional.of("0123456789abcdef0123456789abcdef"), NotifyConfig.smnProjectId(n.smn()));
        assertEquals(List.of(), NotifyConfig.problems(n));

        SwitchguardConfig.Notify explicit = notify(with("smn.topic-urn", "urn:smn:eu-de:p1:t", "smn.region", "eu-nl",
                "smn.project-id", "p2"));
        assertEquals(Optional.of("eu-nl"), NotifyConfig.smnRegion(explicit.smn()));
        assertEquals(Optional.of("p2"), NotifyConfig.smnProjectId(explicit.smn()));
    }

    @Test
    void theSandboxPublishesToItsOwnTopicUnlessToldOtherwise() {
        assertEquals(List.of("smn"), NotifyConfig.sinks(notify(with()), true));
        assertEquals(Optional.of(NotifyConfig.SANDBOX_TOPIC), NotifyConfig.smnTopic(notify(with()), true));
        assertEquals(List.of(), NotifyConfig.sinks(notify(with("sandbox-smn", "false")), true));
        assertEquals(Optional.of("urn:smn:r:p:t"), NotifyConfig.smnTopic(notify(with("smn.topic-urn", "urn:smn:r:p:t")), true));
    }

    @Test
    void mistakesNameTheirKey() {
        List<String> problems = NotifyConfig.problems(notify(with("webhook-secret", "s",
                "smn.topic-urn", "arn:aws:sns:x", "max-age", "0s", "senders", "0",
                "first-retry", "10s", "max-backoff", "5s")));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("switchguard.notify.webhook-secret:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("switchguard.notify.smn.topic-urn:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("switchguard.notify.max-age:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("switchguard.notify.senders:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("switchguard.notify.max-backoff:")), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("\"s\"") || p.contains("'s'")), "no secret echoed");
    }
}
