package io.switchguard.drill;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.switchguard.config.Mode;
import io.switchguard.faas.DueRunner;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Scheduled switchovers and drill plans as one step of a FaaS invocation. A FunctionGraph deployment without
 * static keys has cloud credentials only inside an invocation: run from the 1 s timers, a due switchover would
 * fail "not sent". So in FaaS the timers skip ({@link InFaas}) and /invoke runs this after its check cycle, at most
 * one timer period after the due time, signed with that invocation's agency credentials.
 */
@ApplicationScoped
public class DueWork implements DueRunner {

    private final ScheduleService schedules;
    private final DrillPlanService plans;
    private final DrillLiveness drills;
    private final LeaseKeeper keeper;

    public DueWork(ScheduleService schedules, DrillPlanService plans, DrillLiveness drills, LeaseKeeper keeper) {
        this.schedules = schedules;
        this.plans = plans;
        this.drills = drills;
        this.keeper = keeper;
    }

    /**
     * How many schedules ran, drills started and abandoned drills were ended: {"schedules": n, "drills": m,
     * "abandonedDrills": k}. The last needs no credentials; it is here because a frozen instance runs no timer.
     */
    @Override
    public Map<String, Object> runDue() {
        // Renewed here, on the invocation's thread: an instance thawed after a freeze longer than the lease has
        // no term until the lease's own 1 s timer runs, and a quick cycle ran its due work before that (none ran).
        keeper.renew();
        Optional<Lease> leadership = keeper.leadership();
        return Map.of("schedules", schedules.runDue(leadership, keeper.instanceId()),
                "drills", plans.runDue(leadership), "abandonedDrills", drills.endAbandoned(leadership));
    }

    /** Skips the background timers in a FaaS deployment, where this runs from /invoke instead. */
    @Singleton
    static class InFaas implements Scheduled.SkipPredicate {

        private final Mode mode;

        InFaas(Mode mode) {
            this.mode = mode;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return mode.faas();
        }
    }
}
