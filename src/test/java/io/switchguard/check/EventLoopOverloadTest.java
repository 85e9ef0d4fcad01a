package io.switchguard.check;

import io.switchguard.config.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.switchguard.config.Mode;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.probe.Net;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #10 item 4 on the event loop (issue #13 part 1): when the checker's own event loop is too busy to keep
 * time, a probe's answer comes late, and a late "refused" or "timed out" says nothing about the target. It is no
 * signal (notRun), never a failure counted against the target.
 */
class EventLoopOverloadTest {

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setBlockedThreadCheckInterval(60_000));

    @AfterEach
    void close() {
        vertx.close();
    }

    static Targets targets(int closedPort) {
        Map<String, String> props = Map.of(
                "switchguard.targets.cache.kind", "drs",
                "switchguard.targets.cache.job-id", "job-overload",
                "switchguard.targets.cache.mode", "source",
                "switchguard.targets.cache.probe.tcp", "127.0.0.1:" + closedPort,
                "switchguard.targets.cache.probe.cloud", "false",
                "switchguard.targets.cache.probe.interval", "1s",
                "switchguard.targets.cache.probe.timeout", "300ms");
        return TestConfigs.targets(props);
    }

    @Test
    void aProbeAnsweredLateByABusyEventLoopIsNoSignal() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Target target = targets(closed).find("cache").orElseThrow();
        Observer observer = new Observer(null, Clock.systemUTC(), new Net(vertx));

        // The first connects of a fresh Vert.x load classes and start its resolver: on a busy machine they may
        // be late themselves, so wait for a view on time.
        Observer.Seen quiet = observer.observe(target);
        for (int i = 0; i < 20 && !quiet.complete(); i++) {
            quiet = observer.observe(target);
        }
        assertTrue(quiet.complete(), quiet.notRun().toString());
        assertFalse(quiet.observation().dataPlane().up(), "a closed port is refused: a real finding");

        // The only event loop is busy for 800 ms: the refusal and the probe's own timer both wait for it.
        CountDownLatch busy = new CountDownLatch(1);
        vertx.runOnContext(v -> {
            busy.countDown();
            sleep(800);
        });
        busy.await();
        Observer.Seen late = observer.observe(target);

        assertNull(late.observation().dataPlane(), "a late answer is left out of the observation");
        assertEquals(1, late.notRun().size(), late.notRun().toString());
        String why = late.notRun().get(0);
        assertTrue(why.contains("the checker's event loop was late") || why.contains("no answer within"), why);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
