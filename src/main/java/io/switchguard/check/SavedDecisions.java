package io.switchguard.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.policy.Decision;
import io.switchguard.switchover.Action;
import java.time.Clock;

/**
 * The last decision as the target's row keeps it (JSON, shown in /status): written once per change, and read back to
 * tell whether a new decision is news at all.
 */
final class SavedDecisions {

    private final ObjectMapper mapper;
    private final Clock clock;

    SavedDecisions(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The same diagnosis, verdict, guard and breach as the saved decision: nothing /status would show differently. */
    boolean same(String lastDecision, Decision decision) {
        if (lastDecision == null) {
            return false;
        }
        try {
            var last = mapper.readTree(lastDecision);
            return decision.diagnosis().name().equals(last.path("diagnosis").asText())
                    && decision.verdict().name().equals(last.path("verdict").asText())
                    && String.valueOf(decision.guard()).equals(last.path("guard").asText())
                    && decision.breach() == last.path("breach").asBoolean()
                    && last.path("actionId").isMissingNode();
        } catch (Exception e) {
            return false;
        }
    }

    /** A guard's no is journaled once per episode, not every cycle it keeps saying no. */
    boolean newRejection(String lastDecision, Decision decision) {
        if (lastDecision == null) {
            return true;
        }
        try {
            var last = mapper.readTree(lastDecision);
            return !("REJECTED".equals(last.path("verdict").asText())
                    && String.valueOf(decision.guard()).equals(last.path("guard").asText()));
        } catch (Exception e) {
            return true;
        }
    }

    String describe(Decision decision, Action action) {
        var node = mapper.createObjectNode();
        node.put("at", clock.instant().toString());
        node.put("diagnosis", decision.diagnosis().name());
        node.put("verdict", decision.verdict().name());
        node.put("reason", decision.reason());
        node.put("guard", decision.guard());
        node.put("breach", decision.breach());
        if (action != null) {
            node.put("actionId", action.actionId());
            node.put("actionStatus", action.status().name());
        }
        return node.toString();
    }
}
