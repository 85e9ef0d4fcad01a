package io.switchguard.drill;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code switchguard.drills.*}: scheduled planned switchovers and drills (issue 14). */
@ConfigMapping(prefix = "switchguard.drills")
public interface DrillConfig {

    /**
     * A scheduled switchover whose time passed while no leader ran still runs when a leader appears, unless it is
     * older than this: then it is marked MISSED (a planned switchover an hour late is no longer the planned one).
     */
    @WithDefault("10m")
    Duration scheduleGrace();

    /**
     * A schedule claimed (RUNNING) this long ago by a runner that never finished it is claimed again by the leader;
     * the run reuses the schedule's requestId, so the journal answers with the first run's action, if there was one.
     * A RUNNING drill whose runner has not touched it for this long is ended FAILED by the leader (abandoned).
     */
    @WithDefault("5m")
    Duration staleClaim();

    /** The longest hold a drill may ask for. */
    @WithDefault("1h")
    Duration maxHold();

    /** How often a drill probes the primary's data plane (and its check URL) from the call until the end. */
    @WithDefault("1s")
    Duration probeInterval();

    /** Consecutive failed outcome probes during the hold that interrupt the drill and switch back. */
    @WithDefault("2")
    int outcomeFailures();
}
