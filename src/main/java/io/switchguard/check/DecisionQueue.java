package io.switchguard.check;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Scheduled observations (T) gathered into batches: the schedule adds one and returns at once; one drainer at a time
 * takes whatever waits and has it decided as one batch, on a worker (batches block on the store), never on the
 * event loop.
 */
final class DecisionQueue<T> {

    private static final Logger LOG = Logger.getLogger(DecisionQueue.class);

    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor workers;
    private final Consumer<List<T>> decide;

    DecisionQueue(Executor workers, Consumer<List<T>> decide) {
        this.workers = workers;
        this.decide = decide;
    }

    void add(T pending) {
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            workers.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (true) {
                List<T> batch = new ArrayList<>();
                queue.drainTo(batch);
                if (batch.isEmpty()) {
                    draining.set(false);
                    // A submit between the empty drain and the flag: take it, or leave it to the drainer it started.
                    if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                try {
                    decide.accept(batch);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "a batch of %d checks failed", batch.size());
                }
            }
        } catch (RuntimeException e) {
            draining.set(false);
            throw e;
        }
    }
}
