package io.switchguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The closed sets printed in full, so that any change to a diagnosis, its meaning, which are actionable, or the
 * guard order shows up as a diff of this file.
 */
class PolicyTablesTest {

    @Test
    void diagnosisTable() {
        String table = Stream.of(Diagnosis.values())
                .map(d -> String.format("%-39s %-10s %s", d.name(), d.actionable() ? "actionable" : "-", d.meaning()))
                .collect(Collectors.joining("\n"));
        System.out.println(table);
        assertEquals("""
                HEALTHY                                 -          the primary answers and lag is within limits
                SUSPECT                                 -          the primary fails or the standby lags, but the streak is still under the failure threshold
                RECOVERING                              -          the target is in breach and the primary answers again, under the recovery threshold
                LAGGING                                 -          the standby's lag has been over max-lag for failure-threshold probes
                PRIMARY_DOWN                            actionable the primary fails, confirmed by an independent signal (cloud status or the standby's master link)
                WRONG_ROLE                              actionable the primary endpoint answers as a replica, confirmed by an independent signal
                PRIMARY_DOWN_UNCONFIRMED                -          one signal sees the primary fail and no independent signal is available to confirm it
                PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING  -          the checker cannot reach the primary but the cloud reports it running
                PRIMARY_UNREACHABLE_STANDBY_SEES_IT     -          the primary looks down but the standby reports its master link up
                CLOUD_TRANSITIONAL                      -          the cloud reports the target busy or in transition (restarting, resizing, switching over, frozen): no confirmation and no automatic action while it lasts
                NO_SIGNAL                               -          no data-plane probe or cloud status this cycle: nothing counted
                NOT_COUNTED                             -          a cycle within one probe interval of the last counted one: reported, not counted""",
                table);
    }

    @Test
    void guardOrder() {
        System.out.println("auto guards:   " + Policy.AUTO_GUARDS + "\nmanual guards: " + Policy.MANUAL_GUARDS);
        assertEquals("[auto, paused, isolation, self-distrust, preflight, cooldown, standby-unhealthy, standby-behind,"
                + " data-loss, budget]",
                Policy.AUTO_GUARDS.toString());
        assertEquals("[standby-unhealthy, standby-behind, data-loss]", Policy.MANUAL_GUARDS.toString());
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource({"PT0S, 0s", "PT0.25S, 250ms", "PT45S, 45s", "PT4M, 4m", "PT2M5S, 2m5s", "PT15M, 15m",
            "PT1H30M, 1h30m", "PT26H, 26h", "PT-30S, -30s"})
    void durationsReadAsConfigured(String iso, String text) {
        assertEquals(text, Texts.duration(Duration.parse(iso)));
    }

    @ParameterizedTest(name = "{0} bytes read {1}")
    @CsvSource({"0, 0B", "512, 512B", "1024, 1KB", "67108864, 64MB", "84410368, 80.5MB", "1073741824, 1GB"})
    void bytesReadAsConfigured(long bytes, String text) {
        assertEquals(text, Texts.bytes(bytes));
    }
}
