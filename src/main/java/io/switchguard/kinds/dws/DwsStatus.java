package io.switchguard.kinds.dws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.check.CloudReading;
import io.switchguard.check.CloudStatusReader;
import io.switchguard.check.StatusVocabulary;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.switchover.Kind;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Set;

/** The DWS DR status, its primary cluster's status and the last sync time (the configured field). */
@Singleton
public final class DwsStatus implements CloudStatusReader {

    private final DwsClient cloud;
    private final SwitchguardConfig.Check fields;

    @Inject
    DwsStatus(DwsClient cloud, SwitchguardConfig config) {
        this(cloud, config.check());
    }

    public DwsStatus(DwsClient cloud, SwitchguardConfig.Check fields) {
        this.cloud = cloud;
        this.fields = fields;
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DWS);
    }

    @Override
    public ProbeResult read(Target target) {
        CloudResponse r = cloud.detail(target);
        JsonNode body = CloudReading.ok(r);
        if (body == null) {
            return CloudReading.failed(r);
        }
        JsonNode dr = body.path("disaster_recovery");
        String status = CloudReading.status(dr);
        String primaryStatus = dr.path("primary_cluster").path("status").asText("");
        Instant lastSync = CloudReading.parseTime(dr.path("standby_cluster").path(fields.dwsLastSyncField()).asText(
                dr.path("primary_cluster").path(fields.dwsLastSyncField()).asText("")));
        Health meaning = StatusVocabulary.meaning(StatusVocabulary.DWS_DR, status);
        // A running DR whose primary cluster is abnormal: the cloud says the primary is down.
        if (meaning == Health.UP && StatusVocabulary.DWS_CLUSTER_DOWN.equalsIgnoreCase(primaryStatus)) {
            meaning = Health.DOWN;
        }
        return CloudReading.result(meaning, "DWS DR " + CloudReading.quoted(status, dr) + ", primary cluster "
                + primaryStatus, null, lastSync);
    }
}
