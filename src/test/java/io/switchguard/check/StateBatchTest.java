package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchguard.policy.Diagnosis;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 part 2: the checker's state is written in batches. A fleet of tcp targets is decided in one batch per
 * cycle: the first writes every row in one transaction, a steady fleet writes nothing, and when k targets change
 * their k rows go in one transaction.
 */
@QuarkusTest
@WithTestResource(StateBatchTest.Fleet.class)
class StateBatchTest {

    static final int STEADY = 20;
    static final int FLIPPING = 5;

    /** Twenty targets on a port that stays open, five on one that closes when the test says so. */
    public static class Fleet implements QuarkusTestResourceLifecycleManager {
        static ServerSocket steady;
        static ServerSocket flipping;

        @Override
        public Map<String, String> start() {
            try {
                steady = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
                flipping = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:state-batch;DB_CLOSE_DELAY=-1");
            for (int i = 0; i < STEADY + FLIPPING; i++) {
                String k = "switchguard.targets.fleet-" + i + ".";
                int port = i < STEADY ? steady.getLocalPort() : flipping.getLocalPort();
                m.put(k + "kind", "drs");
                m.put(k + "region", "sandbox-1");
                m.put(k + "project-id", "0000000000000000000000000000batc");
                m.put(k + "job-id", "batch-job-" + i);
                m.put(k + "mode", "source");
                m.put(k + "auto", "false");
                m.put(k + "probe.tcp", "127.0.0.1:" + port);
                m.put(k + "probe.cloud", "false");
                m.put(k + "probe.interval", "1s");
                m.put(k + "probe.timeout", "500ms");
            }
            return m;
        }

        @Override
        public void stop() {
            for (ServerSocket s : new ServerSocket[] {steady, flipping}) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        }
    }

    @Inject
    Checker checker;
    @Inject
    StateStore states;

    record Writes(long transactions, long rows) {}

    /** One cycle, a probe interval after the last (one counted probe per interval); what it wrote. */
    Writes cycle() throws Exception {
        Thread.sleep(1000);
        long transactions = states.writeTransactions();
        long rows = states.rowsWritten();
        List<Checker.Report> reports = checker.cycle();
        assertTrue(reports.stream().noneMatch(r -> r.decision().diagnosis() == Diagnosis.NOT_COUNTED), reports.toString());
        return new Writes(states.writeTransactions() - transactions, states.rowsWritten() - rows);
    }

    @Test
    void aSteadyFleetWritesNothingAndKChangedTargetsWriteOneTransaction() throws Exception {
        int fleet = STEADY + FLIPPING;
        Writes first = cycle();
        assertEquals(1, first.transactions(), "the first cycle: one transaction");
        assertTrue(first.rows() >= fleet, "every target's first row: " + first);

        for (int i = 0; i < 3; i++) {
            assertEquals(new Writes(0, 0), cycle(), "a steady fleet writes no state");
        }

        Fleet.flipping.close();
        assertEquals(new Writes(1, FLIPPING), cycle(), "five targets start failing: their rows, one transaction");
        assertEquals(new Writes(1, FLIPPING), cycle(), "their streaks grow: their rows again, one transaction");
        assertEquals(FLIPPING, states.loadAll(List.of("fleet-20", "fleet-21", "fleet-22", "fleet-23", "fleet-24"))
                .values().stream().filter(s -> s.state().failures() == 2).count());
        assertEquals(0, states.loadAll(List.of("fleet-0", "fleet-19")).values().stream()
                .filter(s -> s.state().failures() != 0).count());
    }
}
