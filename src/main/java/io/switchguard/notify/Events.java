package io.switchguard.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.action.Action;
import io.switchguard.store.OutboxEvent;
import io.switchguard.store.TimeOrderedIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/** Builds the outbox events of CONTRACT §6 from what happened; the id is fixed here, once, for every redelivery. */
@ApplicationScoped
public class Events {

    public static final String ACTION_PREFIX = "io.switchguard.action.";
    public static final String TARGET_UNHEALTHY = "io.switchguard.target.unhealthy";
    public static final String TARGET_RECOVERED = "io.switchguard.target.recovered";
    public static final String TARGET_PAUSED = "io.switchguard.target.paused";
    /** Resumed by an operator, or by the checker when the pause ran out. */
    public static final String TARGET_RESUMED = "io.switchguard.target.resumed";
    public static final String TARGET_PAUSE_REMINDER = "io.switchguard.target.pause-reminder";
    /** The fleet-wide failover budget was spent: automatic action is braked until reset. */
    public static final String BUDGET_BRAKED = "io.switchguard.budget.braked";
    public static final String BUDGET_RESET = "io.switchguard.budget.reset";
    /** Preflight failed (credentials, resource, switchable state, endpoints): no automatic action until ready. */
    public static final String TARGET_UNREADY = "io.switchguard.target.unready";
    /** Preflight passes again after a failure. */
    public static final String TARGET_READY = "io.switchguard.target.ready";
    /** auto: approve: the policy would switch over and waits for an operator (POST /approve or /deny). */
    public static final String APPROVAL_REQUESTED = "io.switchguard.approval.requested";
    /** Approved and acted on: data names who approved and the action. */
    public static final String APPROVAL_APPROVED = "io.switchguard.approval.approved";
    public static final String APPROVAL_DENIED = "io.switchguard.approval.denied";
    /** Approved, but the breach no longer held when it came: nothing was done. */
    public static final String APPROVAL_REFUSED = "io.switchguard.approval.refused";
    /** No answer by the deadline: acted (on-timeout act, breach still holding) or gave up. */
    public static final String APPROVAL_TIMED_OUT = "io.switchguard.approval.timed-out";

    private final ObjectMapper mapper;
    private final Clock clock;

    public Events(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** io.switchguard.action.succeeded|failed|rejected|submitted|unknown, with the action result as data. */
    public OutboxEvent forAction(Action action) {
        return event(ACTION_PREFIX + action.status().name().toLowerCase(Locale.ROOT), action.target(), action);
    }

    /** io.switchguard.target.unhealthy|recovered, with the probe summary as data. */
    public OutboxEvent forTarget(String type, String target, Object summary) {
        return event(type, target, summary);
    }

    private OutboxEvent event(String type, String subject, Object data) {
        try {
            Instant at = clock.instant();
            return new OutboxEvent(TimeOrderedIds.next(at), type, subject, at,
                    mapper.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event data", e);
        }
    }
}
