package io.switchguard.kinds.dws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.check.CloudReading;
import io.switchguard.check.CloudStatusReader;
import io.switchguard.check.StatusVocabulary;
import io.switchguard.config.Kind;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.ProbeResult;
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
        return CloudReading.read(cloud.detail(target), this::reading);
    }

    private ProbeResult reading(JsonNode body) {
        JsonNode dr = body.path("disaster_recovery");
        CloudReading.Status status = CloudReading.classify(dr, StatusVocabulary.DWS_DR);
        String primaryStatus = dr.path("primary_cluster").path("status").asText("");
        Instant lastSync = CloudReading.parseTime(dr.path("standby_cluster").path(fields.dwsLastSyncField()).asText(
                dr.path("primary_cluster").path(fields.dwsLastSyncField()).asText("")));
        Health meaning = status.meaning();
        // A running DR whose primary cluster is abnormal: the cloud says the primary is down.
        if (meaning == Health.UP && StatusVocabulary.DWS_CLUSTER_DOWN.equalsIgnoreCase(primaryStatus)) {
            meaning = Health.DOWN;
        }
        return CloudReading.result(meaning, "DWS DR " + status.quoted() + ", primary cluster " + primaryStatus, null,
                lastSync);
    }
}
