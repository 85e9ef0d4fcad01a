package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue #13 part 7: a fleet's timers, set from the startup thread, tick on every event loop, not on one. */
class EventLoopsTest {

    final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void timersSetThroughTheLoopsTickOnEachLoopWhereDirectOnesShareOne() throws Exception {
        assertEquals(1, ticks((i, timer) -> timer.run()).size(), "set from this thread: one sticky context");

        EventLoops loops = EventLoops.of(vertx);
        assertEquals(4, loops.size());
        assertEquals(4, ticks((i, timer) -> loops.get(i).runOnContext(v -> timer.run())).size());
    }

    /** Sets 40 one-shot timers, each through {@code how}; the threads their callbacks ran on. */
    Set<String> ticks(java.util.function.BiConsumer<Integer, Runnable> how) throws InterruptedException {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(40);
        for (int i = 0; i < 40; i++) {
            how.accept(i, () -> vertx.setTimer(1, id -> {
                threads.add(Thread.currentThread().getName());
                done.countDown();
            }));
        }
        done.await(10, TimeUnit.SECONDS);
        assertEquals(0, done.getCount());
        return threads;
    }
}
