package io.switchguard.policy;

import static io.switchguard.policy.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A late loop and a replica without its own fresh view may alert but not act; the sentences say why. */
class SelfDistrustTest {

    private static final Duration TEN = Duration.ofSeconds(10);
    private static final Duration TWO = Duration.ofSeconds(2);

    static Stream<Arguments> late() {
        return Stream.of(
                Arguments.of("no earlier counted probe: warm-up's case, not lateness", null, T0, null, null),
                Arguments.of("on time", T0, T0.plusSeconds(10), null, null),
                Arguments.of("a missed cycle is not late yet", T0, T0.plusSeconds(20), null, null),
                Arguments.of("exactly at the limit is not late", T0, T0.plusSeconds(22), null, null),
                Arguments.of("frozen for 47s", T0, T0.plusSeconds(47), null, "the checker ran late: 47s since the last"
                        + " counted probe of the target, over 2 x interval 10s + timeout 2s (a GC pause, a frozen VM"
                        + " or a thawed FaaS instance): this cycle may alert but not act"),
                Arguments.of("a FaaS timer every minute is its cadence, not lateness", T0, T0.plusSeconds(61),
                        Duration.ofMinutes(1), null),
                Arguments.of("a FaaS instance thawed after ten minutes", T0, T0.plusSeconds(600), Duration.ofMinutes(1),
                        "the checker ran late: 10m since the last counted probe of the target, over 2 x cycle period"
                                + " 1m + timeout 2s (a GC pause, a frozen VM or a thawed FaaS instance): this cycle"
                                + " may alert but not act"),
                Arguments.of("a cycle period faster than the interval changes nothing", T0, T0.plusSeconds(47),
                        Duration.ofSeconds(1), "the checker ran late: 47s since the last counted probe of the target,"
                                + " over 2 x interval 10s + timeout 2s (a GC pause, a frozen VM or a thawed FaaS"
                                + " instance): this cycle may alert but not act"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void late(String name, Instant last, Instant at, Duration cyclePeriod, String expected) {
        assertEquals(expected, SelfDistrust.late(last, at, TEN, TWO, cyclePeriod).orElse(null));
    }

    static Stream<Arguments> warmingUp() {
        return Stream.of(
                Arguments.of("observed earlier in this term: warm", 7L, 7L, null),
                Arguments.of("just started", null, 7L, "warming up: this replica has just started and has no earlier"
                        + " observation of its own of the target in this term: it acts only after a full set of fresh"
                        + " observations"),
                Arguments.of("just became lease holder again", 5L, 7L, "warming up: this replica has just become lease"
                        + " holder (term 7) and has no earlier observation of its own of the target in this term: it"
                        + " acts only after a full set of fresh observations"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void warmingUp(String name, Long observedInTerm, long epoch, String expected) {
        assertEquals(expected, SelfDistrust.warmingUp(observedInTerm, epoch).orElse(null));
    }
}
