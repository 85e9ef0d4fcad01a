package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 part 1: per-target phases. 10,000 targets at 1 s, named as a fleet usually is (scale-0 ... scale-9999),
 * start their checks spread over the whole interval, not in one burst; a target's phase is the same every start.
 */
class CheckSchedulePhaseTest {

    @Test
    void tenThousandTargetsAreSpreadEvenlyOverTheirInterval() {
        Duration interval = Duration.ofSeconds(1);
        int[] perTenMillis = new int[100];
        for (int i = 0; i < 10_000; i++) {
            long phase = CheckScheduler.phase("scale-" + i, interval).toMillis();
            assertTrue(phase >= 0 && phase < 1000, "phase " + phase);
            perTenMillis[(int) (phase / 10)]++;
        }
        int most = java.util.Arrays.stream(perTenMillis).max().orElseThrow();
        int least = java.util.Arrays.stream(perTenMillis).min().orElseThrow();
        // 100 a slot on average: no slot holds a burst, none is empty.
        assertTrue(most <= 150 && least >= 50, "per 10 ms: between " + least + " and " + most);
    }

    @Test
    void aTargetsPhaseIsFixedAndWithinItsInterval() {
        assertEquals(CheckScheduler.phase("orders-cache", Duration.ofMillis(250)),
                CheckScheduler.phase("orders-cache", Duration.ofMillis(250)));
        assertTrue(CheckScheduler.phase("orders-cache", Duration.ofMillis(250)).toMillis() < 250);
    }
}
