package io.switchguard.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void firstRetryIsAboutOneSecondThenDoublesUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), backoff.delay(1, () -> 0.9999999));
        assertEquals(Duration.ofMillis(800), backoff.delay(1, () -> 0.0));
        assertEquals(Duration.ofSeconds(2), backoff.delay(2, () -> 0.9999999));
        assertEquals(Duration.ofSeconds(256), backoff.delay(9, () -> 0.9999999));
        assertEquals(Duration.ofMinutes(5), backoff.delay(10, () -> 0.9999999));
        assertEquals(Duration.ofMinutes(5), backoff.delay(10_000, () -> 0.9999999));
        assertEquals(Duration.ofMinutes(4), backoff.delay(10_000, () -> 0.0));
    }

    @Test
    void jitterStaysWithinEightyToHundredPercent() {
        for (int i = 0; i < 1000; i++) {
            long ms = backoff.delay(3, Math::random).toMillis();
            assertEquals(true, ms >= 3200 && ms <= 4000, "out of range: " + ms);
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> backoff.delay(0, () -> 0.5));
    }
}
