package io.switchguard.function;

import io.quarkus.funqy.Funq;
import io.switchguard.check.FailoverBudget;
import io.switchguard.http.ApiException;
import io.switchguard.http.ApiKeys;
import io.switchguard.http.Callers;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POST /budget/reset {"reason", "group" (optional)}: an operator releases the fleet-wide failover brake, or one
 * group's. Only a caller with a valid
 * API key may (with authentication switched off nobody can, so the brake still needs a named human), and the
 * reason is required: the reset is journaled with both.
 */
public class BudgetFunctions {

    private final FailoverBudget budget;
    private final Callers callers;
    private final Clock clock;

    public BudgetFunctions(FailoverBudget budget, Callers callers, Clock clock) {
        this.budget = budget;
        this.callers = callers;
        this.clock = clock;
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
        Object group = body.get("group");
        if (group != null && !(group instanceof String)) {
            throw ApiException.badRequest("group: must be a string, the name of a budget group");
        }
        if (group != null && !budget.groups().contains(group)) {
            throw ApiException.notFound("group: no budget group '" + group + "' (configured: " + budget.groups()
                    + ")");
        }
        var braked = budget.reset((String) group, clock.instant(), by, r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reset", true);
        out.put("group", group);
        out.put("by", by);
        out.put("brakedSince", braked.map(Instant::toString).orElse(null));
        return out;
    }
}
