package io.switchguard.kinds.dcs;

import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.cloud.Service;
import io.switchguard.config.Target;
import jakarta.enterprise.context.ApplicationScoped;

/** The DCS calls switchguard makes, for the driver and the status reader; each answer is a {@link CloudResponse}. */
@ApplicationScoped
public class DcsClient {

    private final CloudClient cloud;

    public DcsClient(CloudClient cloud) {
        this.cloud = cloud;
    }

    public CloudResponse swap(Target t) {
        return cloud.call(Service.DCS, t.region(), DcsApi.SWAP.in(t.projectId(), t.resourceId()));
    }

    public CloudResponse swapV1(Target t) {
        return cloud.call(Service.DCS, t.region(), DcsApi.SWAP_V1.in(t.projectId(), t.resourceId()));
    }

    public CloudResponse groups(Target t) {
        return cloud.call(Service.DCS, t.region(), DcsApi.GROUPS.in(t.projectId(), t.resourceId()));
    }

    public CloudResponse instance(Target t) {
        return cloud.call(Service.DCS, t.region(), DcsApi.INSTANCE.in(t.projectId(), t.resourceId()));
    }
}
