package io.switchguard.kinds.drs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.cloud.Service;
import io.switchguard.config.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The DRS calls switchguard makes, for the driver and the status reader; each answer is a {@link CloudResponse}. */
@ApplicationScoped
public class DrsClient {

    private final CloudClient cloud;
    private final ObjectMapper mapper;

    public DrsClient(CloudClient cloud, ObjectMapper mapper) {
        this.cloud = cloud;
        this.mapper = mapper;
    }

    public CloudResponse switchVip(Target t, String mode) {
        String body = mapper.createObjectNode().put("mode", mode).toString();
        return cloud.call(Service.DRS, t.region(), DrsApi.SWITCH_VIP.in(t.projectId(), t.resourceId()).withBody(body));
    }

    public CloudResponse switchVipStatus(Target t) {
        return cloud.call(Service.DRS, t.region(), DrsApi.SWITCH_VIP_STATUS.in(t.projectId(), t.resourceId()));
    }

    public CloudResponse batchStatus(String region, String projectId, List<String> jobIds) {
        var body = mapper.createObjectNode();
        jobIds.forEach(body.putArray("jobs")::add);
        body.putObject("page_req").put("cur_page", 1).put("per_page", 0);
        return cloud.call(Service.DRS, region, DrsApi.BATCH_STATUS.in(projectId).withBody(body.toString()));
    }

    public CloudResponse batchProgress(String region, String projectId, List<String> jobIds) {
        var body = mapper.createObjectNode();
        jobIds.forEach(body.putArray("jobs")::add);
        return cloud.call(Service.DRS, region, DrsApi.BATCH_PROGRESS.in(projectId).withBody(body.toString()));
    }
}
