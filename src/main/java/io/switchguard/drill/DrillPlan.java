package io.switchguard.drill;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A drill on a schedule: at every time of {@code cron} (5 fields, UTC) that the windows allow, a drill of the target
 * with this hold and check URL. Nullable: checkUrl, reason, createdBy (plans from before it was kept), lastAt,
 * lastDrillId, cancelledBy. createdBy and cancelledBy are the callers' key labels; its drills run on its maker's
 * behalf.
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
        String createdBy,
        Instant lastAt,
        String lastDrillId,
        String cancelledBy) {

    public enum State { ACTIVE, CANCELLED }

    Windows windows() {
        return new Windows(allowedWindows.stream().map(Windows::parse).toList(),
                blockedWindows.stream().map(Windows::parse).toList(), blockedDates);
    }
}
