package io.switchguard.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.action.Action;
import io.switchguard.policy.Decision;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /** What {@link #same} compares of a saved decision, kept per target with the JSON it was read from. */
    private record Gist(String json, String diagnosis, String verdict, String guard, boolean breach,
            boolean action) {}

    /**
     * The last decision read per target: a steady target's row, and so its JSON, stays the same for hours, and
     * parsing it again on every check was a fifteenth of the checker's allocation at 10,000 targets a second.
     */
    private final Map<String, Gist> read = new ConcurrentHashMap<>();

    /** The same diagnosis, verdict, guard and breach as the saved decision: nothing /status would show differently. */
    boolean same(String target, String lastDecision, Decision decision) {
        if (lastDecision == null) {
            return false;
        }
        Gist last = read.get(target);
        if (last == null || !last.json().equals(lastDecision)) {
            try {
                var node = mapper.readTree(lastDecision);
                last = new Gist(lastDecision, node.path("diagnosis").asText(), node.path("verdict").asText(),
                        node.path("guard").asText(), node.path("breach").asBoolean(),
                        !node.path("actionId").isMissingNode());
            } catch (Exception e) {
                return false;
            }
            read.put(target, last);
        }
        return decision.diagnosis().name().equals(last.diagnosis()) && decision.verdict().name().equals(last.verdict())
                && String.valueOf(decision.guard()).equals(last.guard()) && decision.breach() == last.breach()
                && !last.action();
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
