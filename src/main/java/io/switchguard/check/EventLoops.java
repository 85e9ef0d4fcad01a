package io.switchguard.check;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One Vert.x context on each of Vert.x's event loops, to spread the targets' schedules over them. A timer set from
 * a thread outside Vert.x (the startup thread) runs on that thread's one sticky context: the whole fleet's probes
 * then shared one event loop, one core, while the other stayed idle (issue #13: a 10,000-target thread dump showed
 * one loop with 100 times the CPU of the next).
 */
final class EventLoops {

    private final List<Context> contexts;

    private EventLoops(List<Context> contexts) {
        this.contexts = contexts;
    }

    /** Deploys one idle verticle per event loop: Vert.x gives each new verticle instance the next loop. */
    static EventLoops of(Vertx vertx) {
        int loops = 0;
        for (EventExecutor ignored : vertx.nettyEventLoopGroup()) {
            loops++;
        }
        List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                contexts.add(context);
            }
        }, new DeploymentOptions().setInstances(Math.max(1, loops))).toCompletionStage().toCompletableFuture().join();
        return new EventLoops(List.copyOf(contexts));
    }

    /** The context for the i-th target: round robin, so each loop gets an equal share of the fleet. */
    Context get(int i) {
        return contexts.get(Math.floorMod(i, contexts.size()));
    }

    int size() {
        return contexts.size();
    }
}
