package io.switchguard.kinds.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.check.CloudReading;
import io.switchguard.check.CloudStatusReader;
import io.switchguard.check.StatusVocabulary;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.ProbeResult;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;

/** The DCS instance status and, while it runs, the master node's replica status (groups API). */
@Singleton
public final class DcsStatus implements CloudStatusReader {

    private final DcsClient cloud;

    public DcsStatus(DcsClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DCS, Kind.DCS_V1);
    }

    /** The instance detail and, while it runs, the groups. */
    @Override
    public int calls() {
        return 2;
    }

    @Override
    public ProbeResult read(Target target) {
        return CloudReading.read(cloud.instance(target), instance -> reading(target, instance));
    }

    private ProbeResult reading(Target target, JsonNode instance) {
        CloudReading.Status status = CloudReading.classify(instance, StatusVocabulary.DCS_INSTANCE);
        if (status.meaning() != Health.UP) {
            return CloudReading.result(status.meaning(), "DCS instance status " + status.quoted(), null, null);
        }
        JsonNode groups = CloudReading.ok(cloud.groups(target));
        if (groups == null || !groups.isObject()) {
            // Instance RUNNING is still the cloud's word; the node view is a bonus some regions lack.
            return ProbeResult.up("DCS instance RUNNING (node roles unavailable)", Duration.ZERO);
        }
        for (JsonNode group : groups.path("group_list")) {
            for (JsonNode node : group.path("replication_list")) {
                if (!"master".equals(node.path("replication_role").asText())) {
                    continue;
                }
                String nodeStatus = node.path("status").asText("");
                Health nodeMeaning = StatusVocabulary.meaning(StatusVocabulary.DCS_NODE, nodeStatus);
                if (nodeMeaning == Health.DOWN || nodeMeaning == Health.TRANSITIONAL) {
                    return CloudReading.result(nodeMeaning, "DCS instance RUNNING, master node "
                            + node.path("node_id").asText() + " is " + nodeStatus, null, null);
                }
            }
        }
        return ProbeResult.up("DCS instance RUNNING, master node Active", Duration.ZERO);
    }
}
