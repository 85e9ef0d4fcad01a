package io.switchguard.probe;

import java.util.concurrent.CompletionStage;

/**
 * A probe that runs on the event loop ({@link Net}): a connect, a few writes and reads and a timer, no thread of its
 * own. Probes that must block (a cloud API call) stay plain {@link Probe}s and run on a worker.
 */
public interface AsyncProbe extends Probe {

    /** Starts the probe; the stage completes with its result, DOWN on any failure, never exceptionally. */
    CompletionStage<ProbeResult> run();

    /** Waits for {@link #run()}: for blocking callers (a drill's sampler, tests). */
    @Override
    default ProbeResult probe() {
        return run().toCompletableFuture().join();
    }

    /** Closes what the probe keeps between runs (a persistent connection); most keep nothing. */
    default void close() {}
}
