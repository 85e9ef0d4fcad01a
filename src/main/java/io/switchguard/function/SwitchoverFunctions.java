package io.switchguard.function;

import io.quarkus.funqy.Funq;
import io.switchguard.http.ApiException;
import io.switchguard.switchover.Action;
import io.switchguard.switchover.SwitchoverService;
import java.util.Map;

/**
 * POST /swap, /switch-vip, /failover, /switchover: validate, call the one switchover path, answer with its result.
 * /switchover is a dws target's planned DR switchover (healthy DR, no data loss); /failover stays the exception
 * switchover of CONTRACT §4.
 */
public class SwitchoverFunctions {

    private final SwitchoverService service;

    public SwitchoverFunctions(SwitchoverService service) {
        this.service = service;
    }

    @Funq("swap")
    public Action swap(Map<String, Object> body) {
        return answer(service.switchover(Inputs.switchover(body, "swap")));
    }

    @Funq("switch-vip")
    public Action switchVip(Map<String, Object> body) {
        return answer(service.switchover(Inputs.switchover(body, "switch-vip")));
    }

    @Funq("failover")
    public Action failover(Map<String, Object> body) {
        return answer(service.switchover(Inputs.switchover(body, "failover")));
    }

    @Funq("switchover")
    public Action switchover(Map<String, Object> body) {
        return answer(service.switchover(Inputs.switchover(body, "switchover")));
    }

    /** Funqy answers 200 for a value; every other status travels as an ApiException. */
    private static Action answer(Action action) {
        if (action.status().httpStatus() != 200) {
            throw ApiException.of(action);
        }
        return action;
    }
}
