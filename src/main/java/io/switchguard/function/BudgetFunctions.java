package io.switchguard.function;

import io.quarkus.funqy.Funq;
import io.switchguard.check.Checker;
import io.switchguard.http.ApiException;
import io.switchguard.http.ApiKeys;
import io.switchguard.http.Callers;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POST /budget/reset {"reason"}: an operator releases the fleet-wide failover brake. Only a caller with a valid
 * API key may (with authentication switched off nobody can, so the brake still needs a named human), and the
 * reason is required: the reset is journaled with both.
 */
public class BudgetFunctions {

    private final Checker checker;
    private final Callers callers;

    public BudgetFunctions(Checker checker, Callers callers) {
        this.checker = checker;
        this.callers = callers;
    }

    @Funq("budget/reset")
    public Map<String, Object> reset(Map<String, Object> body) {
        String by = callers.current();
        if (ApiKeys.ANONYMOUS.equals(by)) {
            throw new ApiException(403, "SG.4030", "resetting the failover budget needs a valid API key: the reset"
                    + " is journaled with who made it", null);
        }
        Object reason = body == null ? null : body.get("reason");
        if (!(reason instanceof String r) || r.isBlank()) {
            throw ApiException.badRequest("reason: required, a string saying why automatic action may resume");
        }
        if (r.length() > 500) {
            throw ApiException.badRequest("reason: at most 500 characters");
        }
        var braked = checker.resetBudget(by, r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reset", true);
        out.put("by", by);
        out.put("brakedSince", braked.map(Instant::toString).orElse(null));
        return out;
    }
}
