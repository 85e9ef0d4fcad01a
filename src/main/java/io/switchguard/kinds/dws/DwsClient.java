package io.switchguard.kinds.dws;

import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.cloud.Service;
import io.switchguard.config.Target;
import jakarta.enterprise.context.ApplicationScoped;

/** The DWS DR calls switchguard makes, for the drivers and the status reader; each answer is a {@link CloudResponse}. */
@ApplicationScoped
public class DwsClient {

    private final CloudClient cloud;

    public DwsClient(CloudClient cloud) {
        this.cloud = cloud;
    }

    public CloudResponse failover(Target t) {
        return cloud.call(Service.DWS, t.region(), DwsApi.FAILOVER.in(t.projectId(), t.resourceId()));
    }

    public CloudResponse switchover(Target t) {
        return cloud.call(Service.DWS, t.region(), DwsApi.SWITCHOVER.in(t.projectId(), t.resourceId()));
    }

    public CloudResponse detail(Target t) {
        return cloud.call(Service.DWS, t.region(), DwsApi.DETAIL.in(t.projectId(), t.resourceId()));
    }
}
