package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The banner's walk-through is the first thing a new user copies: it must name a target this process has. */
class SandboxBannerTest {

    static Target target(String name, Kind kind) {
        return new Target(name, kind, "eu-de", "p", "00000000-0000-0000-0000-000000000001",
                kind == Kind.DRS ? "source" : null, true, Duration.ofMinutes(5), null, null);
    }

    @Test
    void theTryLineNamesAConfiguredTargetAndItsFunction() {
        String banner = SandboxLauncher.banner("http://127.0.0.1:4000", 8080, "sg_key",
                List.of(target("erp-db", Kind.DRS), target("orders-cache", Kind.DCS)));
        assertTrue(banner.contains("-d '{\"target\":\"erp-db\"}' http://localhost:8080/switch-vip"), banner);
        assertFalse(banner.contains("demo-cache"), banner);
        assertTrue(banner.contains("    orders-cache (dcs) -> POST /swap"), banner);
    }

    @Test
    void withoutAGeneratedKeyItPointsAtTheConfiguredOne() {
        String banner = SandboxLauncher.banner("http://127.0.0.1:4000", 8080, null,
                List.of(target("demo-cache", Kind.DCS)));
        assertTrue(banner.contains("Bearer <your configured key>"), banner);
        assertTrue(banner.contains("'{\"target\":\"demo-cache\"}' http://localhost:8080/swap"), banner);
    }
}
