package io.switchguard.check;

import static io.switchguard.check.StatusAnswers.ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huaweicloud.sdk.core.utils.JsonUtils;
import com.huaweicloud.sdk.dcs.v2.model.InstanceGroupListInfo;
import com.huaweicloud.sdk.dcs.v2.model.InstanceReplicationListInfo;
import com.huaweicloud.sdk.dcs.v2.model.ListGroupReplicationInfoResponse;
import com.huaweicloud.sdk.dcs.v2.model.ShowInstanceResponse;
import com.huaweicloud.sdk.drs.v3.model.BatchListJobStatusResponse;
import com.huaweicloud.sdk.drs.v3.model.BatchListProgressesResponse;
import com.huaweicloud.sdk.drs.v3.model.QueryJobStatusResp;
import com.huaweicloud.sdk.drs.v3.model.QueryProgressResp;
import com.huaweicloud.sdk.dws.v2.model.DisasterRecoveryCluster;
import com.huaweicloud.sdk.dws.v2.model.DisasterRecoveryQueryResp;
import com.huaweicloud.sdk.dws.v2.model.ShowDisasterDetailResponse;
import io.switchguard.config.Kind;
import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.ProbeResult;
import io.switchguard.sandbox.SdkEnums;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 item 3: the status readers take bodies made by serializing the official SDK's own model objects with the
 * SDK's own JSON mapper, across every value of each status enum (read from the enum class itself, so a value a
 * newer SDK adds shows up here). Each value is classified by the one vocabulary of issue 10 item 5, and the reader
 * must come to the same meaning from the SDK-made body. Where the SDK models a status as a plain string (DCS
 * instance, DWS DR) the documented values are used, each set into the SDK model.
 */
class SdkModelStatusReadersTest {

    /** Every value of an SDK enum class: its public static final constants. */
    static <E> List<E> values(Class<E> enumClass) {
        List<E> out = SdkEnums.known(enumClass);
        assertTrue(out.size() >= 2, enumClass + " has " + out);
        return out;
    }

    static List<QueryJobStatusResp.StatusEnum> drsStatuses() {
        return values(QueryJobStatusResp.StatusEnum.class);
    }

    static List<InstanceReplicationListInfo.StatusEnum> dcsNodeStatuses() {
        return values(InstanceReplicationListInfo.StatusEnum.class);
    }

    /** DCS instance status: a string in ShowInstanceResponse; the documented values. */
    static List<String> dcsInstanceStatuses() {
        return List.of("CREATING", "CREATEFAILED", "RUNNING", "ERROR", "RESTARTING", "FROZEN", "EXTENDING",
                "RESTORING", "FLUSHING", "UPGRADING", "MIGRATING", "FREEZING", "DELETING", "PAYING");
    }

    /** DWS DR status: a string in DisasterRecoveryQueryResp; the values its documentation lists. */
    static List<String> dwsStatuses() {
        return List.of("creating", "create_failed", "unstart", "starting", "start_failed", "running", "stopping",
                "stop_failed", "switchovering", "abnormal", "deleting", "deleted");
    }

    @ParameterizedTest(name = "DRS job {0}")
    @MethodSource("drsStatuses")
    void everyDrsJobStatusOfTheSdkIsClassified(QueryJobStatusResp.StatusEnum status) {
        String statusBody = JsonUtils.toJSON(new BatchListJobStatusResponse().withCount(1)
                .withResults(List.of(new QueryJobStatusResp().withId(ID).withStatus(status))));
        String progressBody = JsonUtils.toJSON(new BatchListProgressesResponse().withCount(1)
                .withResults(List.of(new QueryProgressResp().withJobId(ID).withProgress("100")
                        .withIncreTransDelay("7").withIncreTransDelayMillis("7000")
                        .withTaskMode(QueryProgressResp.TaskModeEnum.FULL_INCR_TRANS)
                        .withTransferStatus(status.getValue()).withProcessTime("1608274919000")
                        .withRemainingTime("0"))));
        ProbeResult read = StatusAnswers.drs(statusBody, progressBody).read(Kind.DRS);
        assertClassified(StatusVocabulary.DRS_JOB, status.getValue(), read);
        assertEquals(Duration.ofSeconds(7), read.lag(), read.detail());
    }

    @ParameterizedTest(name = "DCS master node {0}")
    @MethodSource("dcsNodeStatuses")
    void everyDcsReplicaStatusOfTheSdkIsClassified(InstanceReplicationListInfo.StatusEnum status) {
        String groups = JsonUtils.toJSON(new ListGroupReplicationInfoResponse().withGroupCount(1)
                .withGroupList(List.of(new InstanceGroupListInfo().withGroupId("g0").withGroupName("group-0")
                        .withReplicationList(List.of(
                                new InstanceReplicationListInfo().withReplicationRole("master").withNodeId("n1")
                                        .withReplicationIp("192.0.2.1").withStatus(status).withAzCode("az1"),
                                new InstanceReplicationListInfo().withReplicationRole("slave").withNodeId("n2")
                                        .withReplicationIp("192.0.2.2")
                                        .withStatus(InstanceReplicationListInfo.StatusEnum.ACTIVE)
                                        .withAzCode("az2"))))));
        ProbeResult read = StatusAnswers.dcs(instance("RUNNING"), groups).read(Kind.DCS);
        assertClassified(StatusVocabulary.DCS_NODE, status.getValue(), read);
    }

    @ParameterizedTest(name = "DCS instance {0}")
    @MethodSource("dcsInstanceStatuses")
    void everyDocumentedDcsInstanceStatusIsClassified(String status) {
        String groups = JsonUtils.toJSON(new ListGroupReplicationInfoResponse().withGroupCount(0)
                .withGroupList(List.of()));
        ProbeResult read = StatusAnswers.dcs(instance(status), groups).read(Kind.DCS);
        assertClassified(StatusVocabulary.DCS_INSTANCE, status, read);
    }

    @ParameterizedTest(name = "DWS DR {0}")
    @MethodSource("dwsStatuses")
    void everyDocumentedDwsDrStatusIsClassified(String status) {
        Instant synced = StatusAnswers.NOW.minusSeconds(90);
        String body = JsonUtils.toJSON(new ShowDisasterDetailResponse().withDisasterRecovery(
                new DisasterRecoveryQueryResp().withId(ID).withName("dr").withDrType("az").withStatus(status)
                        .withPrimaryCluster(new DisasterRecoveryCluster().withId("c1").withRole("primary")
                                .withStatus("backuping").withLastSuccessTime(synced.toString()))
                        .withStandbyCluster(new DisasterRecoveryCluster().withId("c2").withRole("standby")
                                .withStatus("restoring").withLastSuccessTime(synced.toString()))
                        .withDrSyncPeriod("1H").withStartTime("2026-12-01T10:00:00Z")
                        .withCreateTime("2026-12-01T09:00:00Z")));
        ProbeResult read = StatusAnswers.dws(body).read(Kind.DWS);
        assertClassified(StatusVocabulary.DWS_DR, status, read);
        assertEquals(synced, read.lastSync(), read.detail());
    }

    /** The model's cluster status: abnormal on the primary of a running DR is the cloud saying it is down. */
    @Test
    void aRunningDwsDrWithAnAbnormalPrimaryClusterIsDown() {
        String body = JsonUtils.toJSON(new ShowDisasterDetailResponse().withDisasterRecovery(
                new DisasterRecoveryQueryResp().withId(ID).withStatus("running")
                        .withPrimaryCluster(new DisasterRecoveryCluster().withRole("primary").withStatus("abnormal"))
                        .withStandbyCluster(new DisasterRecoveryCluster().withRole("standby").withStatus("waiting"))));
        assertEquals(Health.DOWN, StatusAnswers.dws(body).read(Kind.DWS).health());
    }

    static String instance(String status) {
        return JsonUtils.toJSON(new ShowInstanceResponse().withInstanceId(ID).withName("cache").withEngine("Redis")
                .withEngineVersion("6.0").withCacheMode(ShowInstanceResponse.CacheModeEnum.HA).withStatus(status)
                .withIp("192.0.2.10").withPort(6379).withAzCodes(List.of("az1", "az2")));
    }

    /** Every value the SDK knows is in the vocabulary, and the reader reaches that meaning from the SDK's body. */
    static void assertClassified(Map<String, Health> vocabulary, String value, ProbeResult read) {
        Health meaning = StatusVocabulary.meaning(vocabulary, value);
        assertNotEquals(Health.UNKNOWN, meaning, value + " is a value the SDK knows but the vocabulary does not");
        assertEquals(meaning, read.health(), read.detail());
        CloudStatusVocabularyTest.assertMeans(meaning.name(), read);
    }
}
