package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.core.utils.JsonUtils;
import com.huaweicloud.sdk.dcs.v2.DcsClient;
import com.huaweicloud.sdk.dcs.v2.model.ChangeMasterStandbyRequest;
import com.huaweicloud.sdk.dcs.v2.model.ChangeMasterStandbyResponse;
import com.huaweicloud.sdk.dcs.v2.model.InstanceGroupListInfo;
import com.huaweicloud.sdk.dcs.v2.model.InstanceReplicationListInfo;
import com.huaweicloud.sdk.dcs.v2.model.ListGroupReplicationInfoRequest;
import com.huaweicloud.sdk.dcs.v2.model.ListGroupReplicationInfoResponse;
import com.huaweicloud.sdk.dcs.v2.model.ShowInstanceRequest;
import com.huaweicloud.sdk.dcs.v2.model.ShowInstanceResponse;
import com.huaweicloud.sdk.drs.v3.DrsClient;
import com.huaweicloud.sdk.drs.v3.model.BatchListJobStatusRequest;
import com.huaweicloud.sdk.drs.v3.model.BatchListJobStatusResponse;
import com.huaweicloud.sdk.drs.v3.model.BatchListProgressesRequest;
import com.huaweicloud.sdk.drs.v3.model.BatchListProgressesResponse;
import com.huaweicloud.sdk.drs.v3.model.BatchQueryJobReqPage;
import com.huaweicloud.sdk.drs.v3.model.BatchQueryProgressReq;
import com.huaweicloud.sdk.drs.v3.model.PageReq;
import com.huaweicloud.sdk.drs.v3.model.QueryJobStatusResp;
import com.huaweicloud.sdk.drs.v3.model.QueryProgressResp;
import com.huaweicloud.sdk.dws.v2.DwsClient;
import com.huaweicloud.sdk.dws.v2.model.DisasterRecoveryQueryResp;
import com.huaweicloud.sdk.dws.v2.model.ShowDisasterDetailRequest;
import com.huaweicloud.sdk.dws.v2.model.ShowDisasterDetailResponse;
import com.huaweicloud.sdk.dws.v2.model.SwitchFailoverDisasterRequest;
import com.huaweicloud.sdk.dws.v2.model.SwitchFailoverDisasterResponse;
import com.huaweicloud.sdk.dws.v2.model.SwitchoverDisasterRecoveryRequest;
import com.huaweicloud.sdk.dws.v2.model.SwitchoverDisasterRecoveryResponse;
import com.huaweicloud.sdk.smn.v2.SmnClient;
import com.huaweicloud.sdk.smn.v2.model.PublishMessageRequest;
import com.huaweicloud.sdk.smn.v2.model.PublishMessageRequestBody;
import com.huaweicloud.sdk.smn.v2.model.PublishMessageResponse;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.kinds.dws.DwsSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 2: the official SDK as an oracle for the simulator. For every call switchguard makes, the SDK's own
 * client (its request definition, its AK/SK signer, its response models) is pointed at the sandbox and must accept
 * the answer: the status code, the body parsed into its model, each enum value one the SDK knows. A simulator that
 * answers in a shape the real client would not read would test switchguard against a cloud that does not exist.
 *
 * <p>Not covered, because the SDK has no such call: DRS switch-vip and get-switch-vip-status (OTC DRS API, seed 002;
 * the huaweicloud SDK's DRS v3 has batch-switchover instead) and the DCS v1.0 swap (seed 004).
 */
class SandboxSdkOracleTest extends SandboxTestBase {

    BasicCredentials credentials;
    HttpConfig http;

    @BeforeEach
    void sdk() {
        credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
        http = HttpConfig.getDefaultHttpConfig().withTimeout(10);
    }

    DcsClient dcs() {
        return DcsClient.newBuilder().withCredential(credentials).withHttpConfig(http).withEndpoints(List.of(base))
                .build();
    }

    DrsClient drs() {
        return DrsClient.newBuilder().withCredential(credentials).withHttpConfig(http).withEndpoints(List.of(base))
                .build();
    }

    DwsClient dws() {
        return DwsClient.newBuilder().withCredential(credentials).withHttpConfig(http).withEndpoints(List.of(base))
                .build();
    }

    SmnClient smn() {
        return SmnClient.newBuilder().withCredential(credentials).withHttpConfig(http).withEndpoints(List.of(base))
                .build();
    }

    @Test
    void dcsV2SwapIsAcceptedAsTheSdkDefinesIt() {
        String master = DcsSimulator.of(sim).masterNode(DCS_ID);
        ChangeMasterStandbyResponse r = dcs().changeMasterStandby(new ChangeMasterStandbyRequest()
                .withInstanceId(DCS_ID));
        assertEquals(204, r.getHttpStatusCode());
        assertNotEquals(master, DcsSimulator.of(sim).masterNode(DCS_ID), "the swap reached the simulator");
        assertTrue(sim.calls().stream().allMatch(CloudSimulator.Call::authenticated), "signed by the SDK's signer");
    }

    @Test
    void dcsInstanceDetailParsesIntoShowInstanceResponse() {
        ShowInstanceResponse r = dcs().showInstance(new ShowInstanceRequest().withInstanceId(DCS_ID));
        assertEquals(200, r.getHttpStatusCode());
        assertEquals(DCS_ID, r.getInstanceId());
        assertEquals("RUNNING", r.getStatus());
        assertEquals(ShowInstanceResponse.CacheModeEnum.HA, r.getCacheMode());
        assertTrue(SdkEnums.known(ShowInstanceResponse.CacheModeEnum.class).contains(r.getCacheMode()), "" + r.getCacheMode());
        assertEquals(2, r.getAzCodes().size());
        assertNotNull(r.getPort());
    }

    @Test
    void dcsGroupsParseIntoTheReplicationModelWithKnownStatuses() {
        ListGroupReplicationInfoResponse r = dcs().listGroupReplicationInfo(new ListGroupReplicationInfoRequest()
                .withInstanceId(DCS_ID));
        assertEquals(200, r.getHttpStatusCode());
        assertEquals(1, r.getGroupCount());
        InstanceGroupListInfo group = r.getGroupList().get(0);
        List<String> roles = new ArrayList<>();
        for (InstanceReplicationListInfo node : group.getReplicationList()) {
            roles.add(node.getReplicationRole());
            assertTrue(SdkEnums.known(InstanceReplicationListInfo.StatusEnum.class).contains(node.getStatus()),
                    "status " + node.getStatus() + " is not one the SDK knows");
            assertNotNull(node.getNodeId());
            assertNotNull(node.getAzCode());
        }
        assertEquals(List.of("master", "slave"), roles);
        assertEquals(DcsSimulator.of(sim).masterNode(DCS_ID), group.getReplicationList().get(0).getNodeId());
    }

    @Test
    void drsBatchStatusParsesWithAStatusTheSdkKnows() {
        BatchListJobStatusResponse r = drs().batchListJobStatus(new BatchListJobStatusRequest()
                .withBody(new BatchQueryJobReqPage().withJobs(List.of(DRS_ID))
                        .withPageReq(new PageReq().withCurPage(1).withPerPage(0))));
        assertEquals(200, r.getHttpStatusCode());
        assertEquals(1, r.getCount());
        QueryJobStatusResp job = r.getResults().get(0);
        assertEquals(DRS_ID, job.getId());
        assertEquals(QueryJobStatusResp.StatusEnum.INCRE_TRANSFER_STARTED, job.getStatus());
        assertTrue(SdkEnums.known(QueryJobStatusResp.StatusEnum.class).contains(job.getStatus()), "" + job.getStatus());
    }

    @Test
    void drsBatchProgressParsesWithDelayAndTaskMode() {
        DrsSimulator.of(sim).setLag(DRS_ID, Duration.ofSeconds(4));
        BatchListProgressesResponse r = drs().batchListProgresses(new BatchListProgressesRequest()
                .withBody(new BatchQueryProgressReq().withJobs(List.of(DRS_ID))));
        assertEquals(202, r.getHttpStatusCode(), "the documented status of batch-progress");
        QueryProgressResp p = r.getResults().get(0);
        assertEquals(DRS_ID, p.getJobId());
        assertEquals("4", p.getIncreTransDelay());
        assertEquals("4000", p.getIncreTransDelayMillis());
        assertTrue(SdkEnums.known(QueryProgressResp.TaskModeEnum.class).contains(p.getTaskMode()), "" + p.getTaskMode());
        assertTrue(SdkEnums.known(QueryJobStatusResp.StatusEnum.class).contains(
                QueryJobStatusResp.StatusEnum.fromValue(p.getTransferStatus())), p.getTransferStatus());
    }

    @Test
    void dwsDrDetailParsesIntoShowDisasterDetailResponse() {
        ShowDisasterDetailResponse r = dws().showDisasterDetail(new ShowDisasterDetailRequest()
                .withDisasterRecoveryId(DWS_ID));
        assertEquals(200, r.getHttpStatusCode());
        DisasterRecoveryQueryResp dr = r.getDisasterRecovery();
        assertEquals(DWS_ID, dr.getId());
        assertEquals("running", dr.getStatus());
        assertEquals(DwsSimulator.of(sim).primaryCluster(DWS_ID), dr.getPrimaryCluster().getId());
        assertEquals(DwsSimulator.of(sim).standbyCluster(DWS_ID), dr.getStandbyCluster().getId());
        assertNotNull(Instant.parse(dr.getStandbyCluster().getLastSuccessTime()));
    }

    @Test
    void dwsFailoverIsAcceptedAsTheSdkDefinesIt() {
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);
        SwitchFailoverDisasterResponse r = dws().switchFailoverDisaster(new SwitchFailoverDisasterRequest()
                .withDisasterRecoveryId(DWS_ID));
        assertEquals(200, r.getHttpStatusCode());
        assertEquals(DWS_ID, r.getDisasterRecovery().getId());
        clock.advance(DwsSimulator.of(sim).failoverTime().plusSeconds(1));
        assertNotEquals(primary, DwsSimulator.of(sim).primaryCluster(DWS_ID), "the failover reached the simulator");
    }

    @Test
    void dwsPlannedSwitchoverIsAcceptedAsTheSdkDefinesIt() {
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);
        SwitchoverDisasterRecoveryResponse r = dws().switchoverDisasterRecovery(
                new SwitchoverDisasterRecoveryRequest().withDisasterRecoveryId(DWS_ID));
        assertEquals(200, r.getHttpStatusCode());
        assertEquals(DWS_ID, r.getDisasterRecovery().getId());
        assertEquals("switchovering", dws().showDisasterDetail(new ShowDisasterDetailRequest()
                .withDisasterRecoveryId(DWS_ID)).getDisasterRecovery().getStatus());
        clock.advance(DwsSimulator.of(sim).failoverTime().plusSeconds(1));
        assertEquals(DwsSimulator.of(sim).standbyCluster(DWS_ID), primary, "roles traded");
    }

    @Test
    void smnPublishIsAcceptedAndAnswersTheSdkModel() {
        String topic = "urn:smn:eu-de:" + PROJECT + ":switchguard";
        PublishMessageResponse r = smn().publishMessage(new PublishMessageRequest().withTopicUrn(topic)
                .withBody(new PublishMessageRequestBody().withSubject("switchguard").withMessage("swap done")));
        assertEquals(200, r.getHttpStatusCode());
        assertNotNull(r.getMessageId());
        assertNotNull(r.getRequestId());
        assertEquals(1, sim.smnMessages().size());
        assertEquals(topic, sim.smnMessages().get(0).topicUrn());
        assertEquals("swap done", sim.smnMessages().get(0).message());
    }

    /** Refusals reach the SDK as its ServiceResponseException with the cloud's own error code and message. */
    @Test
    void errorAnswersParseIntoTheSdksServiceResponseException() {
        sim.fault(DCS_ID, SandboxFault.DCS_4855, 1);
        assertRefused(() -> dcs().changeMasterStandby(new ChangeMasterStandbyRequest().withInstanceId(DCS_ID)),
                400, "DCS.4855");
        sim.fault(DCS_ID, SandboxFault.DCS_5094, 1);
        assertRefused(() -> dcs().changeMasterStandby(new ChangeMasterStandbyRequest().withInstanceId(DCS_ID)),
                500, "DCS.5094");
        DcsSimulator.of(sim).setStatus(DCS_ID, "RESTARTING");
        assertRefused(() -> dcs().changeMasterStandby(new ChangeMasterStandbyRequest().withInstanceId(DCS_ID)),
                400, "DCS.4049");
        assertRefused(() -> dcs().showInstance(new ShowInstanceRequest().withInstanceId("no-such-instance")),
                404, "DCS.4800");
        sim.fault(DCS_ID, SandboxFault.HTTP_401, 1);
        assertRefused(() -> dcs().changeMasterStandby(new ChangeMasterStandbyRequest().withInstanceId(DCS_ID)),
                401, "APIGW.0301");
        sim.fault(DWS_ID, SandboxFault.HTTP_500, 1);
        assertRefused(() -> dws().switchFailoverDisaster(new SwitchFailoverDisasterRequest()
                .withDisasterRecoveryId(DWS_ID)), 500, "SYS.0500");
        dws().switchFailoverDisaster(new SwitchFailoverDisasterRequest().withDisasterRecoveryId(DWS_ID));
        assertRefused(() -> dws().switchFailoverDisaster(new SwitchFailoverDisasterRequest()
                .withDisasterRecoveryId(DWS_ID)), 400, "DWS.10102");
        assertRefused(() -> dws().showDisasterDetail(new ShowDisasterDetailRequest()
                .withDisasterRecoveryId("no-such-dr")), 404, "DWS.10101");
    }

    static void assertRefused(Runnable call, int status, String code) {
        ServiceResponseException e = assertThrows(ServiceResponseException.class, call::run);
        assertEquals(status, e.getHttpStatusCode(), e.toString());
        assertEquals(code, e.getErrorCode(), e.toString());
        assertNotNull(e.getErrorMsg(), e.toString());
    }

    /**
     * The SDK reads leniently, so a field the real cloud never sends would pass the tests above unnoticed and a
     * reader could come to depend on it. Read strictly, every field of every answer must be one the SDK's model has.
     */
    @Test
    void everyAnswerHasOnlyFieldsTheSdkModelKnows() {
        String topic = "urn:smn:eu-de:" + PROJECT + ":switchguard";
        record Answer(String method, String path, String body, Class<?> model) {}
        List<Answer> answers = List.of(
                new Answer("GET", "/v2/" + PROJECT + "/instances/" + DCS_ID, null, ShowInstanceResponse.class),
                new Answer("GET", "/v2/" + PROJECT + "/instance/" + DCS_ID + "/groups", null,
                        ListGroupReplicationInfoResponse.class),
                new Answer("POST", "/v3/" + PROJECT + "/jobs/batch-status",
                        "{\"jobs\":[\"" + DRS_ID + "\"],\"page_req\":{\"cur_page\":1,\"per_page\":0}}",
                        BatchListJobStatusResponse.class),
                new Answer("POST", "/v3/" + PROJECT + "/jobs/batch-progress", "{\"jobs\":[\"" + DRS_ID + "\"]}",
                        BatchListProgressesResponse.class),
                new Answer("GET", "/v2/" + PROJECT + "/disaster-recovery/" + DWS_ID, null,
                        ShowDisasterDetailResponse.class),
                new Answer("POST", failover(PROJECT, DWS_ID), null, SwitchFailoverDisasterResponse.class),
                new Answer("GET", "/v2/" + PROJECT + "/disaster-recovery/" + DWS_ID, null,
                        ShowDisasterDetailResponse.class),
                new Answer("POST", "/v2/" + PROJECT + "/notifications/topics/" + topic + "/publish",
                        "{\"subject\":\"s\",\"message\":\"m\"}", PublishMessageResponse.class));
        List<String> unknown = new ArrayList<>();
        ObjectMapper strict = JsonUtils.getDefaultMapper().copy().addHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                    JsonDeserializer<?> deserializer, Object bean, String property) throws java.io.IOException {
                unknown.add(bean.getClass().getSimpleName() + "." + property);
                p.skipChildren();
                return true;
            }
        });
        for (Answer a : answers) {
            HttpResponse<String> r = signed(a.method(), a.path(), a.body());
            assertTrue(r.statusCode() < 300, a.path() + ": " + r.statusCode() + " " + r.body());
            try {
                strict.readValue(r.body(), a.model());
            } catch (JsonProcessingException e) {
                unknown.add(a.model().getSimpleName() + ": " + e.getOriginalMessage());
            }
        }
        assertEquals(List.of(), unknown);
    }
}
