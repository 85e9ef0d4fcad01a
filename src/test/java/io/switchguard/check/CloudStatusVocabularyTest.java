package io.switchguard.check;

import static io.switchguard.check.StatusAnswers.ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.config.Kind;
import io.switchguard.policy.Decision;
import io.switchguard.policy.Evaluation;
import io.switchguard.policy.Verdict;
import io.switchguard.probe.ProbeResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 10 item 5: one vocabulary per kind. Every status the cloud can report is healthy, transitional (busy: no
 * confirmation and no automatic action while it lasts), down (the cloud confirms the primary down) or unknown (no
 * signal). Each row is one answer of the status API and what it must lead to: with the data plane failing, only a
 * down status confirms (switchover); healthy says the primary runs (alert only); transitional holds every automatic
 * action even when the standby confirms; unknown is no confirmation at all.
 */
class CloudStatusVocabularyTest {

    @ParameterizedTest(name = "DCS instance {0} is {1}")
    @CsvSource({
            "RUNNING, UP",
            "ERROR, DOWN",
            "RESTARTING, TRANSITIONAL", "EXTENDING, TRANSITIONAL", "RESTORING, TRANSITIONAL",
            "CREATING, TRANSITIONAL", "CREATEFAILED, TRANSITIONAL", "FROZEN, TRANSITIONAL", "FREEZING, TRANSITIONAL",
            "FLUSHING, TRANSITIONAL", "UPGRADING, TRANSITIONAL", "MIGRATING, TRANSITIONAL", "DELETING, TRANSITIONAL",
            "PAYING, TRANSITIONAL",
            "running, UP",
            "SOMETHING_NEW, UNKNOWN", "'', UNKNOWN"})
    void dcsInstanceStatus(String status, String meaning) {
        StatusAnswers cloud = StatusAnswers.dcs("{\"instance_id\":\"" + ID + "\",\"status\":\"" + status + "\"}",
                groups("Active"));
        assertMeans(meaning, cloud.read(Kind.DCS));
        assertMeans(meaning, cloud.read(Kind.DCS_V1));
    }

    @ParameterizedTest(name = "DCS master node {0} is {1}")
    @CsvSource({"Active, UP", "ACTIVE, UP", "Inactive, DOWN", "INACTIVE, DOWN",
            "Creating, TRANSITIONAL", "Deleting, TRANSITIONAL", "AddSharding, TRANSITIONAL",
            // A node status nobody defined leaves the instance's own RUNNING as the cloud's word.
            "Sleeping, UP"})
    void dcsMasterNodeStatus(String status, String meaning) {
        StatusAnswers cloud = StatusAnswers.dcs("{\"status\":\"RUNNING\"}", groups(status));
        assertMeans(meaning, cloud.read(Kind.DCS));
    }

    @ParameterizedTest(name = "DRS job {0} is {1}")
    @CsvSource({
            "INCRE_TRANSFER_STARTED, UP", "CHILD_TRANSFER_STARTED, UP",
            "INCRE_TRANSFER_FAILED, DOWN", "CHILD_TRANSFER_FAILED, DOWN",
            "FULL_TRANSFER_STARTED, TRANSITIONAL", "FULL_TRANSFER_COMPLETE, TRANSITIONAL",
            "FULL_TRANSFER_FAILED, TRANSITIONAL", "PAUSING, TRANSITIONAL", "PAUSEING, TRANSITIONAL",
            "CREATING, TRANSITIONAL", "CONFIGURATION, TRANSITIONAL", "STARTJOBING, TRANSITIONAL",
            "WAITING_FOR_START, TRANSITIONAL", "CHANGE_JOB_STARTED, TRANSITIONAL", "NODE_UPGRADE_START, TRANSITIONAL",
            "REBUILD_NODE_STARTED, TRANSITIONAL", "RELEASE_RESOURCE_COMPLETE, TRANSITIONAL", "DELETED, TRANSITIONAL",
            "SWITCHING, UNKNOWN", "'', UNKNOWN"})
    void drsJobStatus(String status, String meaning) {
        StatusAnswers cloud = StatusAnswers.drs(
                "{\"count\":1,\"results\":[{\"id\":\"" + ID + "\",\"status\":\"" + status + "\"}]}",
                "{\"count\":1,\"results\":[{\"job_id\":\"" + ID + "\",\"incre_trans_delay\":\"2\",\"transfer_status\":\""
                        + status + "\"}]}");
        assertMeans(meaning, cloud.read(Kind.DRS));
    }

    @ParameterizedTest(name = "DWS DR {0} with primary cluster {1} is {2}")
    @CsvSource({
            "running, backuping, UP", "running, waiting, UP",
            "running, abnormal, DOWN", "abnormal, abnormal, DOWN", "abnormal, waiting, DOWN",
            "switchovering, abnormal, TRANSITIONAL", "switchovering, waiting, TRANSITIONAL",
            "creating, waiting, TRANSITIONAL", "create_failed, waiting, TRANSITIONAL", "unstart, waiting, TRANSITIONAL",
            "starting, waiting, TRANSITIONAL", "start_failed, waiting, TRANSITIONAL", "stopping, waiting, TRANSITIONAL",
            "stop_failed, waiting, TRANSITIONAL", "deleting, waiting, TRANSITIONAL", "deleted, waiting, TRANSITIONAL",
            "failovering, waiting, UNKNOWN", "'', waiting, UNKNOWN"})
    void dwsDrStatus(String status, String primary, String meaning) {
        StatusAnswers cloud = StatusAnswers.dws("{\"disaster_recovery\":{\"id\":\"" + ID + "\",\"status\":\"" + status
                + "\",\"primary_cluster\":{\"role\":\"primary\",\"status\":\"" + primary + "\"},"
                + "\"standby_cluster\":{\"role\":\"standby\",\"status\":\"restoring\","
                + "\"last_success_time\":\"2026-12-01T11:59:00Z\"}}}");
        assertMeans(meaning, cloud.read(Kind.DWS));
    }

    /** A 200 whose body is not JSON (a proxy's error page, a truncated answer) says nothing about the target. */
    @ParameterizedTest(name = "a {0} answer that is not JSON is unknown")
    @CsvSource({"DCS", "DRS", "DWS"})
    void aBodyThatIsNotJsonIsNoSignal(Kind kind) {
        String html = "<html><body>Service temporarily unavailable</body></html>";
        StatusAnswers cloud = switch (kind) {
            case DCS, DCS_V1 -> StatusAnswers.dcs(html, html);
            case DRS -> StatusAnswers.drs(html, html);
            case DWS -> StatusAnswers.dws(html);
        };
        assertMeans("UNKNOWN", cloud.read(kind));
    }

    /** The meaning, as the reader reports it and as the policy then acts on it. */
    static void assertMeans(String meaning, ProbeResult cloud) {
        Decision d = StatusAnswers.withFailingDataPlane(cloud, null);
        switch (meaning) {
            case "UP" -> assertEquals("PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING", d.diagnosis().name(), d.reason());
            case "DOWN" -> {
                assertEquals(Verdict.SWITCHOVER, d.verdict(), d.reason());
                assertEquals("PRIMARY_DOWN", d.diagnosis().name(), d.reason());
            }
            case "TRANSITIONAL" -> {
                assertEquals("CLOUD_TRANSITIONAL", d.diagnosis().name(), d.reason());
                assertEquals(Verdict.ALERT, d.verdict(), d.reason());
                // Even a standby that confirms its master link down does not lift the hold.
                Decision confirmed = StatusAnswers.withFailingDataPlane(cloud, StatusAnswers.standbyLinkDown());
                assertEquals("CLOUD_TRANSITIONAL", confirmed.diagnosis().name(), confirmed.reason());
                assertNotEquals(Verdict.SWITCHOVER, confirmed.verdict(), confirmed.reason());
                // Alone (no data-plane probe), a transitional status counts neither as failure nor as recovery.
                Evaluation alone = StatusAnswers.cloudOnly(cloud);
                assertEquals("CLOUD_TRANSITIONAL", alone.decision().diagnosis().name(), alone.decision().reason());
                assertEquals(0, alone.next().failures() + alone.next().successes(), alone.next().toString());
            }
            case "UNKNOWN" -> {
                assertEquals("PRIMARY_DOWN_UNCONFIRMED", d.diagnosis().name(), d.reason());
                // With the standby confirming, the unknown status neither adds nor blocks: the standby decides.
                Decision confirmed = StatusAnswers.withFailingDataPlane(cloud, StatusAnswers.standbyLinkDown());
                assertEquals(Verdict.SWITCHOVER, confirmed.verdict(), confirmed.reason());
                assertTrue(confirmed.reason().contains("confirmed by the standby (master link down)"),
                        confirmed.reason());
                Evaluation alone = StatusAnswers.cloudOnly(cloud);
                assertEquals("NO_SIGNAL", alone.decision().diagnosis().name(), alone.decision().reason());
            }
            default -> throw new IllegalArgumentException(meaning);
        }
        assertEquals(meaning, cloud.health().name(), cloud.detail());
    }

    static String groups(String masterStatus) {
        return "{\"group_count\":1,\"group_list\":[{\"group_id\":\"g0\",\"replication_list\":["
                + "{\"replication_role\":\"master\",\"node_id\":\"n1\",\"status\":\"" + masterStatus + "\"},"
                + "{\"replication_role\":\"slave\",\"node_id\":\"n2\",\"status\":\"Active\"}]}]}";
    }
}
