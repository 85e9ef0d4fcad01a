package io.switchguard.check;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Targets;
import io.switchguard.config.TestConfigs;
import io.switchguard.probe.Net;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Decisions that fall behind the probes (10,000 targets on a busy machine, a slow store) never pile up: a target is
 * probed again only once its last observation has been decided, and the ticks in between are skipped and counted.
 * Before, each tick queued one more observation behind the stalled decider; at 10,000 targets a second the heap ran
 * out (GC overhead limit exceeded) and the process hung in its shutdown.
 */
@QuarkusTest
class DecisionBacklogTest {

    @Inject Checkers checkers;
    @Inject AgroalDataSource dataSource;
    @Inject Vertx vertx;
    @Inject Net net;
    @Inject SwitchguardConfig config;

    @Test
    void aTargetIsProbedAgainOnlyOnceItsLastObservationIsDecided() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger decidedBatches = new AtomicInteger();
        StateStore stalled = new StateStore(dataSource, false) {
            @Override
            public Map<String, Saved> loadAll(Collection<String> targets) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                decidedBatches.incrementAndGet();
                return super.loadAll(targets);
            }
        };
        try (ServerSocket listener = new ServerSocket(0)) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        accepted.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Targets targets = TestConfigs.targets(Map.of(
                    "switchguard.targets.backlog.kind", "drs",
                    "switchguard.targets.backlog.job-id", "job-backlog",
                    "switchguard.targets.backlog.mode", "source",
                    "switchguard.targets.backlog.probe.tcp", "127.0.0.1:" + listener.getLocalPort(),
                    "switchguard.targets.backlog.probe.cloud", "false",
                    "switchguard.targets.backlog.probe.interval", "100ms",
                    "switchguard.targets.backlog.probe.timeout", "50ms"));
            Checker checker = checkers.checker(targets, stalled);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            CheckScheduler schedule = new CheckScheduler(vertx, checker, new Observer(null, Clock.systemUTC(), net),
                    targets, config, metrics);
            schedule.run();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() >= 1);
                Thread.sleep(1000);

                assertEquals(1, accepted.get(), "probed once while its observation waited ten intervals");
                assertTrue(metrics.counter("switchguard_check_skipped").count() >= 5,
                        "the ticks in between skipped: " + metrics.counter("switchguard_check_skipped").count());

                release.countDown();
                await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() >= 3);
                assertTrue(decidedBatches.get() >= 2, "decided, then probed and decided again");
            } finally {
                schedule.stop(null);
                release.countDown();
            }
        }
    }
}
