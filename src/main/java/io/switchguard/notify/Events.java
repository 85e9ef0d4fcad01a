package io.switchguard.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.store.OutboxEvent;
import io.switchguard.switchover.Action;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

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
            return new OutboxEvent(UUID.randomUUID().toString(), type, subject, clock.instant(),
                    mapper.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event data", e);
        }
    }
}
