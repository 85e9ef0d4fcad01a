package io.switchguard.kinds.drs;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.check.CloudReading;
import io.switchguard.check.CloudStatusReader;
import io.switchguard.check.StatusVocabulary;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult;
import io.switchguard.switchover.Kind;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The DRS job status (batch-status) and its sync delay (batch-progress, the configured field). */
@Singleton
public final class DrsStatus implements CloudStatusReader {

    private final DrsClient cloud;
    private final SwitchguardConfig.Check fields;

    @Inject
    DrsStatus(DrsClient cloud, SwitchguardConfig config) {
        this(cloud, config.check());
    }

    public DrsStatus(DrsClient cloud, SwitchguardConfig.Check fields) {
        this.cloud = cloud;
        this.fields = fields;
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DRS);
    }

    @Override
    public ProbeResult read(Target target) {
        List<String> job = List.of(target.resourceId());
        CloudResponse r = cloud.batchStatus(target.region(), target.projectId(), job);
        JsonNode body = CloudReading.ok(r);
        if (body == null) {
            return CloudReading.failed(r);
        }
        JsonNode result = body.path("results").path(0);
        String status = CloudReading.status(result);
        JsonNode progress = CloudReading.ok(cloud.batchProgress(target.region(), target.projectId(), job));
        Duration lag = null;
        if (progress != null) {
            JsonNode delay = progress.path("results").path(0).path(fields.drsLagField());
            if (!delay.isMissingNode() && !delay.asText().isBlank()) {
                try {
                    lag = Duration.ofSeconds(Long.parseLong(delay.asText().trim()));
                } catch (NumberFormatException e) {
                    lag = null;
                }
            }
        }
        return CloudReading.result(StatusVocabulary.meaning(StatusVocabulary.DRS_JOB, status), "DRS job "
                + CloudReading.quoted(status, result) + (lag != null ? ", sync delay " + lag.toSeconds() + "s" : ""),
                lag, null);
    }
}
