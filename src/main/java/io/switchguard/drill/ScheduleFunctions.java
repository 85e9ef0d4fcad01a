package io.switchguard.drill;

import io.quarkus.funqy.Funq;
import io.switchguard.http.ApiException;
import io.switchguard.http.Callers;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * POST /schedule {"target","at","reason","requestId"?}: a planned switchover at that time (200 with the schedule;
 * the same requestId again answers the first schedule). GET /schedules?target=: newest first.
 * POST /schedule-cancel {"id","reason"}: cancels a PENDING schedule (409 once it ran, runs or was cancelled).
 */
public class ScheduleFunctions {

    static final int LIST_LIMIT = 200;

    private final ScheduleService service;
    private final Callers callers;
    private final Clock clock;

    public ScheduleFunctions(ScheduleService service, Callers callers, Clock clock) {
        this.service = service;
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

    @Funq("schedule")
    public Schedule schedule(Map<String, Object> body) {
        return answer(service.create(DrillInputs.schedule(body, clock).withCaller(callers.current())));
    }

    @Funq("schedules")
    public List<Schedule> schedules(Query query) {
        return service.list(DrillInputs.targetFilter(query == null ? null : query.target), LIST_LIMIT);
    }

    @Funq("schedule-cancel")
    public Schedule cancel(Map<String, Object> body) {
        DrillInputs.Cancel c = DrillInputs.cancel(body);
        return answer(service.cancel(c.id(), c.reason(), callers.current()));
    }

    private static Schedule answer(ScheduleService.Outcome outcome) {
        if (outcome instanceof ScheduleService.Outcome.NotFound n) {
            throw ApiException.notFound(n.message());
        }
        if (outcome instanceof ScheduleService.Outcome.Conflict c) {
            throw new ApiException(409, "SG.4096", c.message(), null);
        }
        return ((ScheduleService.Outcome.Done) outcome).schedule();
    }
}
