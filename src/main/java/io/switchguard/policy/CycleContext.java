package io.switchguard.policy;

/**
 * What holds for the whole check cycle, not one target.
 *
 * @param dryRun   switchguard.dry-run: decisions are made as usual, a SWITCHOVER verdict says "dry run" in its reason
 *                 and the switchover service records DRY_RUN instead of calling the cloud
 * @param isolated {@link Policy#isolated} over this cycle's observations: the checker cannot trust its own view
 */
public record CycleContext(boolean dryRun, boolean isolated) {}
