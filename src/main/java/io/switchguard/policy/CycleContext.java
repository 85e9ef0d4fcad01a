package io.switchguard.policy;

/**
 * What holds for the whole check cycle, not one target.
 *
 * @param dryRun    switchguard.dry-run: decisions are made as usual, a SWITCHOVER verdict says "dry run" in its reason
 *                  and the switchover service records DRY_RUN instead of calling the cloud
 * @param isolated  the checker cannot trust its own view: {@link Policy#isolated} over this cycle's observations, or
 *                  probes that did not run or did not finish (its own overload)
 * @param isolation why, for the refusal sentence; null = {@link Policy#isolated}'s "reached nothing"
 */
public record CycleContext(boolean dryRun, boolean isolated, String isolation) {

    public CycleContext(boolean dryRun, boolean isolated) {
        this(dryRun, isolated, null);
    }
}
