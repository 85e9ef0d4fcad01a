package io.switchguard.drill;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A drill on a schedule: at every time of {@code cron} (5 fields, UTC) that the windows allow, a drill of the target
 * with this hold and check URL. Nullable: checkUrl, reason, lastAt, lastDrillId.
 */
public record DrillPlan(
        String id,
        String target,
        String cron,
        long holdMillis,
        String checkUrl,
        String reason,
        List<String> allowedWindows,
        List<String> blockedWindows,
        List<LocalDate> blockedDates,
        State state,
        Instant nextAt,
        Instant createdAt,
        Instant lastAt,
        String lastDrillId) {

    public enum State { ACTIVE, CANCELLED }

    Windows windows() {
        return new Windows(allowedWindows.stream().map(Windows::parse).toList(),
                blockedWindows.stream().map(Windows::parse).toList(), blockedDates);
    }
}
