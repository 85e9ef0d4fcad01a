package io.switchguard.policy;

import static io.switchguard.policy.Texts.duration;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pause asks of the checker this cycle: nothing, to end (it expired), or a reminder that it is still on.
 * Pauses are forgotten (orchestrator#1443 found hosts downtimed for a year), so an old one is raised again once per
 * reminder period until someone resumes it. Pure: the checker does the journaling and notifying.
 */
public final class Pauses {

    private Pauses() {}

    public enum Due { EXPIRED, REMINDER }

    /** What is due, with the sentence the journal and the event carry. */
    public record Review(Due due, String reason) {}

    /**
     * @param reminderAfter a pause this old raises a reminder, and again each time this much has passed since the
     *                      last one
     */
    public static Optional<Review> review(Pause pause, Duration reminderAfter, Instant now) {
        Objects.requireNonNull(reminderAfter, "reminderAfter");
        Objects.requireNonNull(now, "now");
        if (pause == null) {
            return Optional.empty();
        }
        if (pause.expired(now)) {
            return Optional.of(new Review(Due.EXPIRED, "the pause by " + pause.by() + " since " + pause.at()
                    + " ran out at " + pause.until() + reasonText(pause) + ": automatic action resumes"));
        }
        Duration age = pause.age(now);
        boolean old = age.compareTo(reminderAfter) >= 0;
        boolean remindedLately = pause.remindedAt() != null
                && Duration.between(pause.remindedAt(), now).compareTo(reminderAfter) < 0;
        if (old && !remindedLately) {
            return Optional.of(new Review(Due.REMINDER, "paused by " + pause.by() + " for " + duration(age)
                    + reasonText(pause) + ", over the reminder limit " + duration(reminderAfter)
                    + (pause.until() == null ? ", with no expiry: resume it or it stays paused"
                    : ", until " + pause.until())));
        }
        return Optional.empty();
    }

    private static String reasonText(Pause pause) {
        return pause.reason() == null || pause.reason().isBlank() ? " (no reason given)" : " (" + pause.reason() + ")";
    }
}
