package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.ProbeResult;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 3: cloud signals fetched with care. What the simulated cloud received is counted: many DRS jobs in
 * one batch call, one DCS read per interval per resource, no call over the rate limit, and a cloud that stalls its
 * answer holds no observation back.
 */
@QuarkusTest
@TestProfile(CloudSignalsTest.Profile.class)
class CloudSignalsTest {

    static final String PROJECT = DecisionSafetyTest.PROJECT;
    static final int JOBS = 4;
    static final int DWS_PER_SECOND = 2;
    static final int DWS_COUNT = 5;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("switchguard.store.url", "jdbc:h2:mem:cloud-signals;DB_CLOSE_DELAY=-1");
            // A stalled status answer stays unanswered for the test's length (the test profile's 1s would end it).
            m.put("switchguard.cloud.read-timeout", "10s");
            m.put("switchguard.cloud.rate-limit.dws", String.valueOf(DWS_PER_SECOND));
            m.put("switchguard.cloud.signals.reuse", "true");
            m.put("switchguard.cloud.signals.wait", "1s");
            for (int i = 0; i < JOBS; i++) {
                target(m, "db-" + i, "drs", "job-id", "job-" + i);
            }
            target(m, "cache-a", "dcs", "instance-id", "inst-a");
            target(m, "cache-b", "dcs", "instance-id", "inst-b");
            target(m, "cache-stall", "dcs", "instance-id", "inst-stall");
            for (int i = 0; i < DWS_COUNT; i++) {
                target(m, "dw-" + i, "dws", "disaster-recovery-id", "dr-" + i);
            }
            return m;
        }

        /** A target whose data plane is a closed port (an instant, real result) and whose interval is long. */
        static void target(Map<String, String> m, String name, String kind, String idKey, String id) {
            DecisionSafetyTest.Configured.target(m, name, kind, idKey, id);
            m.put("switchguard.targets." + name + ".probe.tcp", "127.0.0.1:" + DecisionSafetyTest.Configured.closedPort());
            m.put("switchguard.targets." + name + ".probe.interval", "1m");
            m.put("switchguard.targets." + name + ".probe.timeout", "300ms");
        }
    }

    @Inject
    SandboxLauncher sandbox;
    @Inject
    Observer observer;
    @Inject
    CloudSignals signals;
    @Inject
    Targets targets;

    CloudSimulator cloud;

    @BeforeEach
    void resetCloud() {
        cloud = SandboxApi.fresh(sandbox);
        // The first DCS call builds its REST client, which can take longer than a probe on a cold JVM: warm it on a
        // target no test counts the reads of before it stalls.
        signals.fresh(targets.find("cache-stall").orElseThrow()).join();
        cloud.resetCalls();
    }

    @AfterEach
    void clearFaults() {
        cloud.clearFaults();
    }

    @Test
    void manyDrsJobsAreReadInOneBatchStatusCall() {
        DrsSimulator.of(cloud).setJobStatus("job-2", "INCRE_TRANSFER_FAILED");
        List<Target> jobs = targets.all().stream().filter(t -> t.kind() == Kind.DRS).toList();
        assertEquals(JOBS, jobs.size());

        // One cycle: every DRS target observed at once.
        List<Observer.Seen> seen = jobs.stream().map(t -> CompletableFuture.supplyAsync(() -> observer.observe(t)))
                .toList().stream().map(CompletableFuture::join).toList();

        assertEquals(1, cloud.count("POST", ".*/jobs/batch-status"), "one batch-status call for all jobs");
        assertEquals(1, cloud.count("POST", ".*/jobs/batch-progress"), "one batch-progress call for all jobs");
        String body = cloud.calls().stream().filter(c -> c.path().endsWith("/batch-status")).findFirst().orElseThrow()
                .body();
        for (int i = 0; i < JOBS; i++) {
            assertTrue(body.contains("\"job-" + i + "\""), "job-" + i + " asked in " + body);
            ProbeResult status = seen.get(i).observation().cloud();
            assertNotNull(status, jobs.get(i).name());
            // Each job gets its own entry of the batch answer.
            Health expected = jobs.get(i).resourceId().equals("job-2") ? Health.DOWN : Health.UP;
            assertEquals(expected, status.health(), jobs.get(i).name() + ": " + status.detail());
        }
    }

    @Test
    void twoCyclesWithinOneIntervalReadEachDcsInstanceOnce() {
        Target a = targets.find("cache-a").orElseThrow();
        Target b = targets.find("cache-b").orElseThrow();

        ProbeResult first = observer.observe(a).observation().cloud();
        ProbeResult second = observer.observe(a).observation().cloud();
        observer.observe(b);

        assertEquals(1, cloud.count("GET", ".*/instances/inst-a"), "one instance read of inst-a");
        assertEquals(1, cloud.count("GET", ".*/instance/inst-a/groups"), "one groups read of inst-a");
        assertEquals(1, cloud.count("GET", ".*/instances/inst-b"), "inst-b has its own read");
        assertEquals(Health.UP, first.health(), first.detail());
        assertEquals(first.detail(), second.detail(), "the second cycle sees the first cycle's read");

        // A manual call's guard judges the state as it is now: it reads anew.
        observer.observeNow(a);
        assertEquals(2, cloud.count("GET", ".*/instances/inst-a"));
    }

    @Test
    void overTheRateLimitNoCallIsMadeAndTheSignalIsUnknownWithTheReason() {
        List<Target> dws = targets.all().stream().filter(t -> t.kind() == Kind.DWS).toList();
        assertTrue(dws.size() > DWS_PER_SECOND);

        List<ProbeResult> read = dws.stream().map(t -> observer.observe(t).observation().cloud()).toList();

        long calls = cloud.count("GET", ".*/disaster-recovery/dr-\\d+");
        assertTrue(calls <= DWS_PER_SECOND, calls + " DR detail calls at " + DWS_PER_SECOND + "/s");
        List<ProbeResult> limited = read.stream().filter(r -> r.health() == Health.UNKNOWN).toList();
        assertEquals(dws.size() - calls, limited.size(), "every read not made is unknown: " + read);
        limited.forEach(r -> assertTrue(r.detail().contains("rate limit of " + DWS_PER_SECOND + "/s"), r.detail()));
        read.stream().filter(r -> r.health() != Health.UNKNOWN)
                .forEach(r -> assertEquals(Health.UP, r.health(), r.detail()));
    }

    @Test
    void aCloudThatStallsItsAnswerHoldsNoObservationBack() {
        Target stall = targets.find("cache-stall").orElseThrow();
        cloud.setSlowDelay(Duration.ofSeconds(30));
        cloud.fault("inst-stall", SandboxFault.STATUS_SLOW, -1);
        try {
            // The manual guard's observation: it reads anew (the warm-up's read would be reused by a cycle's).
            Observer.Seen seen = observer.observeNow(stall);

            // The observation is here, with the data-plane result, while the cloud has not answered yet.
            assertNotNull(seen.observation().dataPlane(), "the data-plane result");
            assertEquals(Health.DOWN, seen.observation().dataPlane().health(), seen.observation().dataPlane().detail());
            assertFalse(signals.read(stall).isDone(), "the stalled read is still running (a cycle would join it)");
            assertEquals(1, cloud.count("GET", ".*/instance/inst-stall/groups"), "asked, not answered");
            assertTrue(seen.notRun().stream().anyMatch(n -> n.startsWith("cloud dcs status: no answer")),
                    "the unanswered cloud is no signal: " + seen.notRun());
            assertEquals(null, seen.observation().cloud(), "no cloud result stands in for the answer");
        } finally {
            cloud.setSlowDelay(Duration.ofSeconds(2));
        }
    }
}
