package io.switchguard.policy;

import static io.switchguard.policy.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A pause ends by itself at its expiry, and an old one is raised again once per reminder period. */
class PausesTest {

    private static final Duration LIMIT = Duration.ofHours(24);
    private static final Instant HOUR = T0.plusSeconds(3600);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("not paused: nothing due", null, T0, null),
                Arguments.of("fresh open-ended pause: nothing due", pause(null, null), HOUR, null),
                Arguments.of("before its expiry: nothing due", pause(HOUR, null), HOUR.minusMillis(1), null),
                Arguments.of("at its expiry: it ends", pause(HOUR, null), HOUR,
                        "EXPIRED the pause by key-1a2b3c since 2026-05-01T10:00:00Z ran out at 2026-05-01T11:00:00Z"
                                + " (upgrade): automatic action resumes"),
                Arguments.of("past its expiry, never reviewed: it ends", pause(HOUR, null), T0.plus(Duration.ofDays(3)),
                        "EXPIRED the pause by key-1a2b3c since 2026-05-01T10:00:00Z ran out at 2026-05-01T11:00:00Z"
                                + " (upgrade): automatic action resumes"),
                Arguments.of("older than the limit: a reminder", pause(null, null), T0.plus(LIMIT),
                        "REMINDER paused by key-1a2b3c for 24h (upgrade), over the reminder limit 24h, with no expiry:"
                                + " resume it or it stays paused"),
                Arguments.of("reminded within the period: no second one", pause(null, T0.plus(LIMIT)),
                        T0.plus(LIMIT).plus(Duration.ofHours(23)), null),
                Arguments.of("a period after the last reminder: the next one", pause(null, T0.plus(LIMIT)),
                        T0.plus(LIMIT).plus(LIMIT),
                        "REMINDER paused by key-1a2b3c for 48h (upgrade), over the reminder limit 24h, with no expiry:"
                                + " resume it or it stays paused"),
                Arguments.of("a long pause with an expiry is reminded too", pause(T0.plus(Duration.ofDays(7)), null),
                        T0.plus(LIMIT), "REMINDER paused by key-1a2b3c for 24h (upgrade), over the reminder limit 24h,"
                                + " until 2026-05-08T10:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void review(String name, Pause pause, Instant now, String expected) {
        Optional<Pauses.Review> due = Pauses.review(pause, LIMIT, now);
        assertEquals(expected, due.map(r -> r.due() + " " + r.reason()).orElse(null));
    }

    private static Pause pause(Instant until, Instant remindedAt) {
        return new Pause("key-1a2b3c", "upgrade", T0, until, remindedAt);
    }
}
