package io.switchguard.function;

import io.quarkus.funqy.Funq;
import io.switchguard.action.Action;
import io.switchguard.http.ApiException;
import io.switchguard.http.Callers;
import io.switchguard.switchover.SwitchoverResult;
import io.switchguard.switchover.SwitchoverService;
import java.util.Map;

/**
 * POST /swap, /switch-vip, /failover, /switchover: validate, call the one switchover path, answer with its result.
 * /switchover is a dws target's planned DR switchover (healthy DR, no data loss); /failover stays the exception
 * switchover of CONTRACT §4.
 * POST /resolve: an operator records the outcome of a stuck action, or releases its lock (journaled).
 */
public class SwitchoverFunctions {

    private final SwitchoverService service;
    private final Callers callers;

    public SwitchoverFunctions(SwitchoverService service, Callers callers) {
        this.service = service;
        this.callers = callers;
    }

    @Funq("swap")
    public Action swap(Map<String, Object> body) {
        return run(body, "swap");
    }

    @Funq("switch-vip")
    public Action switchVip(Map<String, Object> body) {
        return run(body, "switch-vip");
    }

    @Funq("failover")
    public Action failover(Map<String, Object> body) {
        return run(body, "failover");
    }

    @Funq("switchover")
    public Action switchover(Map<String, Object> body) {
        return run(body, "switchover");
    }

    @Funq("resolve")
    public Action resolve(Map<String, Object> body) {
        SwitchoverResult result = service.resolve(Inputs.resolution(body).withCaller(callers.current()));
        // The resolution was recorded, whatever outcome it records: 200 with the entry as it now stands.
        return result instanceof SwitchoverResult.Journaled j ? j.action() : answer(result);
    }

    /** One switchover function: its input validated, asked by the calling key, answered. */
    private Action run(Map<String, Object> body, String action) {
        return answer(service.switchover(Inputs.switchover(body, action).withCaller(callers.current())));
    }

    /** Funqy answers 200 for a value; every other status travels as an ApiException. */
    private static Action answer(SwitchoverResult result) {
        if (result instanceof SwitchoverResult.Refused r) {
            throw switch (r.refusal()) {
                case NOT_FOUND -> ApiException.notFound(r.message());
                case BAD_REQUEST -> ApiException.badRequest(r.message());
                case CONFLICT -> new ApiException(409, "SG.4092", r.message(), null);
            };
        }
        Action action = ((SwitchoverResult.Journaled) result).action();
        if (action.status().httpStatus() != 200) {
            throw ApiException.of(action);
        }
        return action;
    }
}
