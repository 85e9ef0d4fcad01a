package io.switchguard.drill;

import io.quarkus.funqy.Funq;
import io.switchguard.http.ApiException;
import io.switchguard.http.Callers;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * POST /drill-plan {"target","cron","hold","checkUrl"?,"reason"?,"allowed"?,"blocked"?,"blockedDates"?}: drills on
 * a schedule. GET /drill-plans?target=. POST /drill-plan-cancel {"id"}.
 */
public class DrillPlanFunctions {

    private final DrillPlanService service;
    private final DrillConfig config;
    private final Callers callers;
    private final Clock clock;

    public DrillPlanFunctions(DrillPlanService service, DrillConfig config, Callers callers, Clock clock) {
        this.service = service;
        this.config = config;
        this.callers = callers;
        this.clock = clock;
    }

    /** Query parameters; Funqy fills GET input through setters. */
    public static class Query {
        private String target;

        public void setTarget(String target) {
            this.target = target;
        }
    }

    @Funq("drill-plan")
    public DrillPlan plan(Map<String, Object> body) {
        DrillPlanService.Request r = DrillInputs.plan(body, config.maxHold(), clock.instant())
                .withCaller(callers.current());
        return service.create(r).orElseThrow(() -> ApiException.notFound("unknown target '" + r.target() + "'"));
    }

    @Funq("drill-plans")
    public List<DrillPlan> plans(Query query) {
        return service.list(DrillInputs.targetFilter(query == null ? null : query.target));
    }

    @Funq("drill-plan-cancel")
    public DrillPlan cancel(Map<String, Object> body) {
        String id = DrillInputs.id(body == null ? null : body.get("id"), "id");
        if (service.find(id).isEmpty()) {
            throw ApiException.notFound("no drill plan '" + id + "'");
        }
        if (!service.cancel(id, callers.current())) {
            throw new ApiException(409, "SG.4096", "drill plan " + id + " is cancelled already", null);
        }
        return service.find(id).orElseThrow();
    }
}
