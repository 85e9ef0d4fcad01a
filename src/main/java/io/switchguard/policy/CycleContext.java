package io.switchguard.policy;

import java.util.List;

/**
 * What holds for the whole check cycle, not one target.
 *
 * @param dryRun    switchguard.dry-run: decisions are made as usual, a SWITCHOVER verdict says "dry run" in its reason
 *                  and the switchover service records DRY_RUN instead of calling the cloud
 * @param isolated  the checker cannot trust its own view: {@link Policy#isolated} over this cycle's observations, or
 *                  probes that did not run or did not finish (its own overload)
 * @param isolation why, for the refusal sentence; null = {@link Policy#isolated}'s "reached nothing"
 * @param budgets   the failover budgets that apply to the target: the fleet-wide one first, then its group's; empty =
 *                  not read (the checker reads them only when the policy would act) or switched off
 * @param distrust  why the checker does not trust its own timing this cycle ({@link SelfDistrust}: it ran late, or
 *                  it is warming up); null = it does
 * @param unready   why the target's last preflight says it could not be switched now; null = ready or not known
 */
public record CycleContext(boolean dryRun, boolean isolated, String isolation, List<Budget> budgets,
                           String distrust, String unready) {

    public CycleContext {
        budgets = List.copyOf(budgets);
    }

    public CycleContext(boolean dryRun, boolean isolated) {
        this(dryRun, isolated, null, List.of(), null, null);
    }

    public CycleContext(boolean dryRun, boolean isolated, String isolation) {
        this(dryRun, isolated, isolation, List.of(), null, null);
    }

    public CycleContext withBudget(Budget budget) {
        return withBudgets(List.of(budget));
    }

    public CycleContext withBudgets(List<Budget> budgets) {
        return new CycleContext(dryRun, isolated, isolation, budgets, distrust, unready);
    }

    public CycleContext withDistrust(String distrust) {
        return new CycleContext(dryRun, isolated, isolation, budgets, distrust, unready);
    }

    public CycleContext withUnready(String unready) {
        return new CycleContext(dryRun, isolated, isolation, budgets, distrust, unready);
    }
}
