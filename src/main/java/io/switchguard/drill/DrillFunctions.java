package io.switchguard.drill;

import io.quarkus.funqy.Funq;
import io.switchguard.http.ApiException;
import io.switchguard.http.Callers;
import java.util.List;
import java.util.Map;

/**
 * POST /drill {"target","hold":"30s","checkUrl"?,"reason"?}: runs the blocking checks and answers at once; 200 with
 * the drill RUNNING (it goes on in the background), or 409 SG.4095 with the BLOCKED report (nothing was sent).
 * GET /drill-report?id=: one drill's report (Funqy binds GET query parameters to a bean, not to /drill's map), as it stands. GET /drills?target=: newest first.
 */
public class DrillFunctions {

    static final int LIST_LIMIT = 50;

    private final DrillService service;
    private final DrillConfig config;
    private final Callers callers;

    public DrillFunctions(DrillService service, DrillConfig config, Callers callers) {
        this.service = service;
        this.config = config;
        this.callers = callers;
    }

    /** Query parameters; Funqy fills GET input through setters. */
    public static class Query {
        private String id;
        private String target;

        public void setId(String id) {
            this.id = id;
        }

        public void setTarget(String target) {
            this.target = target;
        }
    }

    @Funq("drill")
    public DrillReport drill(Map<String, Object> body) {
        DrillService.Request request = DrillInputs.drill(body, config.maxHold()).withCaller(callers.current());
        DrillReport report = service.start(request)
                .orElseThrow(() -> ApiException.notFound("unknown target '" + request.target() + "'"));
        if (report.state() == DrillReport.State.BLOCKED) {
            throw new ApiException(409, "SG.4095", report.detail(), report);
        }
        return report;
    }

    @Funq("drills")
    public List<DrillReport> drills(Query query) {
        return service.list(DrillInputs.targetFilter(query == null ? null : query.target), LIST_LIMIT);
    }

    /** GET /drill-report?id=: the report as it stands, while the drill runs and after. */
    @Funq("drill-report")
    public DrillReport report(Query query) {
        String id = DrillInputs.id(query == null ? null : query.id, "id");
        return service.find(id).orElseThrow(() -> ApiException.notFound("no drill '" + id + "'"));
    }
}
