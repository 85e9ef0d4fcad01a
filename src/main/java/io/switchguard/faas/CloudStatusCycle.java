package io.switchguard.faas;

import io.quarkus.arc.DefaultBean;
import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Stand-in {@link CycleRunner} until the checker is bound: one read-only status call per target (never a
 * switchover), reported as the cloud answered it. It exists so /invoke does real, signed cloud calls end to end
 * (the bundle test checks the sandbox saw the invocation's credentials); any other CycleRunner bean replaces it.
 */
@DefaultBean
@ApplicationScoped
public class CloudStatusCycle implements CycleRunner {

    /** What one target's status read came to; httpStatus is null when the cloud gave no answer. */
    public record TargetStatus(String target, String kind, Integer httpStatus, String detail) {}

    private final Targets targets;
    private final CloudClient cloud;

    public CloudStatusCycle(Targets targets, CloudClient cloud) {
        this.targets = targets;
        this.cloud = cloud;
    }

    @Override
    public List<TargetStatus> runCycle() {
        return targets.all().stream().map(this::status).toList();
    }

    private TargetStatus status(Target t) {
        CloudResponse response = switch (t.kind()) {
            case DCS, DCS_V1 -> cloud.dcsInstance(t.region(), t.projectId(), t.resourceId());
            case DRS -> cloud.drsBatchStatus(t.region(), t.projectId(), List.of(t.resourceId()));
            case DWS -> cloud.dwsDetail(t.region(), t.projectId(), t.resourceId());
        };
        if (response instanceof CloudResponse.Answered a) {
            String detail = a.ok() ? "status read" : "cloud refused: " + a.error().code() + " " + a.error().message();
            return new TargetStatus(t.name(), t.kind().id(), a.status(), detail);
        }
        String reason = response instanceof CloudResponse.NotSent n ? "not sent: " + n.reason()
                : "no answer: " + ((CloudResponse.NoAnswer) response).reason();
        return new TargetStatus(t.name(), t.kind().id(), null, reason);
    }
}
