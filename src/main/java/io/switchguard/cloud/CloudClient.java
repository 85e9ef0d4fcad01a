package io.switchguard.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.util.List;
import java.util.function.Function;

/**
 * Every cloud call switchguard makes, one method each. A call never throws for a cloud or network failure:
 * it returns what became of it ({@link CloudResponse}), so the caller decides what is safe to do next.
 */
@ApplicationScoped
public class CloudClient {

    private final Endpoints endpoints;
    private final RestClients clients;
    private final ObjectMapper mapper;

    public CloudClient(Endpoints endpoints, RestClients clients, ObjectMapper mapper) {
        this.endpoints = endpoints;
        this.clients = clients;
        this.mapper = mapper;
    }

    public CloudResponse dcsSwap(String region, String projectId, String instanceId) {
        return call(Service.DCS, region, DcsApi.class, api -> api.swap(projectId, instanceId, projectId));
    }

    public CloudResponse dcsSwapV1(String region, String projectId, String instanceId) {
        return call(Service.DCS, region, DcsApi.class, api -> api.swapV1(projectId, instanceId, projectId));
    }

    public CloudResponse dcsGroups(String region, String projectId, String instanceId) {
        return call(Service.DCS, region, DcsApi.class, api -> api.groups(projectId, instanceId, projectId));
    }

    public CloudResponse dcsInstance(String region, String projectId, String instanceId) {
        return call(Service.DCS, region, DcsApi.class, api -> api.instance(projectId, instanceId, projectId));
    }

    public CloudResponse drsSwitchVip(String region, String projectId, String jobId, String mode) {
        String body = mapper.createObjectNode().put("mode", mode).toString();
        return call(Service.DRS, region, DrsApi.class, api -> api.switchVip(projectId, jobId, projectId, body));
    }

    public CloudResponse drsSwitchVipStatus(String region, String projectId, String jobId) {
        return call(Service.DRS, region, DrsApi.class, api -> api.switchVipStatus(projectId, jobId, projectId));
    }

    public CloudResponse drsBatchStatus(String region, String projectId, List<String> jobIds) {
        var body = mapper.createObjectNode();
        jobIds.forEach(body.putArray("jobs")::add);
        body.putObject("page_req").put("cur_page", 1).put("per_page", 0);
        return call(Service.DRS, region, DrsApi.class, api -> api.batchStatus(projectId, projectId, body.toString()));
    }

    public CloudResponse drsBatchProgress(String region, String projectId, List<String> jobIds) {
        var body = mapper.createObjectNode();
        jobIds.forEach(body.putArray("jobs")::add);
        return call(Service.DRS, region, DrsApi.class, api -> api.batchProgress(projectId, projectId, body.toString()));
    }

    public CloudResponse dwsFailover(String region, String projectId, String drId) {
        return call(Service.DWS, region, DwsApi.class, api -> api.failover(projectId, drId, projectId));
    }

    public CloudResponse dwsSwitchover(String region, String projectId, String drId) {
        return call(Service.DWS, region, DwsApi.class, api -> api.switchover(projectId, drId, projectId));
    }

    public CloudResponse dwsDetail(String region, String projectId, String drId) {
        return call(Service.DWS, region, DwsApi.class, api -> api.detail(projectId, drId, projectId));
    }

    public CloudResponse smnPublish(String region, String projectId, String topicUrn, String subject, String message) {
        var body = mapper.createObjectNode().put("subject", subject).put("message", message);
        return call(Service.SMN, region, SmnApi.class, api -> api.publish(projectId, topicUrn, projectId, body.toString()));
    }

    private <T> CloudResponse call(Service service, String region, Class<T> api, Function<T, Response> request) {
        T client;
        try {
            client = clients.signed(api, endpoints.baseUrl(service, region));
        } catch (RuntimeException e) {
            return new CloudResponse.NotSent(service.key() + " client unavailable: " + e.getMessage());
        }
        try (Response response = request.apply(client)) {
            String raw = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode json = parse(raw);
            int status = response.getStatus();
            CloudError error = status >= 400 ? CloudError.parse(status, json, raw) : null;
            return new CloudResponse.Answered(status, json, raw, response.getHeaderString("X-Request-Id"), error);
        } catch (RuntimeException e) {
            return classify(e);
        }
    }

    /** Only a failure to connect or to sign proves nothing was sent; anything else after the connect may have reached the cloud. */
    static CloudResponse classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new CloudResponse.NotSent(describe(t));
            }
            if (t instanceof NotSignedException) {
                return new CloudResponse.NotSent(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CloudResponse.NoAnswer(describe(root));
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
    }

    private JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return mapper.missingNode();
        }
        try {
            return mapper.readTree(raw);
        } catch (Exception e) {
            return mapper.missingNode();
        }
    }
}
