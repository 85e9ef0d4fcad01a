package io.switchguard.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a planned drill may run: a pure function of the instant (2026-12-01 is a Tuesday). */
class WindowsTest {

    static Windows windows(List<String> allowed, List<String> blocked, List<LocalDate> dates) {
        return new Windows(allowed.stream().map(Windows::parse).toList(), blocked.stream().map(Windows::parse).toList(),
                dates);
    }

    @Test
    void noWindowsAllowAnyTime() {
        assertEquals(Optional.empty(), windows(List.of(), List.of(), List.of()).refuses(
                Instant.parse("2026-12-01T03:00:00Z")));
    }

    @Test
    void allowedWindowsAreDaysAndHoursInUtcWithTheEndExcluded() {
        Windows w = windows(List.of("Mon-Fri 09:00-17:00"), List.of(), List.of());
        assertEquals(Optional.empty(), w.refuses(Instant.parse("2026-12-01T09:00:00Z")));
        assertTrue(w.refuses(Instant.parse("2026-12-01T17:00:00Z")).orElseThrow().contains("outside"));
        assertTrue(w.refuses(Instant.parse("2026-12-05T10:00:00Z")).isPresent(), "Saturday");
        assertEquals(Optional.empty(), windows(List.of("Sat,Sun 00:00-24:00"), List.of(), List.of())
                .refuses(Instant.parse("2026-12-06T23:59:00Z")));
        assertEquals(Optional.empty(), windows(List.of("Fri-Mon 00:00-24:00"), List.of(), List.of())
                .refuses(Instant.parse("2026-12-07T01:00:00Z")), "a range across the week's end");
    }

    @Test
    void blockedWindowsAndDatesWinOverAllowedOnes() {
        Windows w = windows(List.of("* 00:00-24:00"), List.of("Tue 12:00-13:00"), List.of(LocalDate.parse("2026-12-24")));
        assertTrue(w.refuses(Instant.parse("2026-12-01T12:30:00Z")).orElseThrow().contains("blocked window"));
        assertEquals(Optional.empty(), w.refuses(Instant.parse("2026-12-01T13:00:00Z")));
        assertTrue(w.refuses(Instant.parse("2026-12-24T10:00:00Z")).orElseThrow().contains("blocked date"));
    }

    @Test
    void malformedWindowsAreNotWindows() {
        for (String bad : List.of("Funday 09:00-10:00", "Mon 9-10", "Mon 10:00-09:00", "Mon 24:30-25:00", "Mon")) {
            assertNull(Windows.parse(bad), bad);
        }
    }

    @Test
    void theNextCronTimeIsInUtc() {
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"),
                DrillPlanService.next("0 10 * * TUE", Instant.parse("2026-12-01T09:00:00Z")).orElseThrow());
        assertTrue(DrillPlanService.next("every tuesday", Instant.now()).isEmpty());
    }
}
