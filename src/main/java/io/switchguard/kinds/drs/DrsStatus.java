package io.switchguard.kinds.drs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.switchguard.check.CloudReading;
import io.switchguard.check.CloudStatusReader;
import io.switchguard.check.StatusVocabulary;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.probe.ProbeResult;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DRS job status (batch-status) and its sync delay (batch-progress, the configured field), for many jobs of one
 * project in one call of each, as the API serves them.
 */
@Singleton
public final class DrsStatus implements CloudStatusReader.Batched {

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

    /** batch-status and batch-progress, each once for the whole batch. */
    @Override
    public int calls() {
        return 2;
    }

    /** batch-status takes up to 100 per page ({@code per_page} 0..100); batch-progress is asked for the same jobs. */
    @Override
    public int batchSize() {
        return 100;
    }

    @Override
    public Map<String, ProbeResult> readAll(List<Target> targets) {
        Target first = targets.get(0);
        List<String> jobs = targets.stream().map(Target::resourceId).toList();
        CloudResponse r = cloud.batchStatus(first.region(), first.projectId(), jobs);
        JsonNode body = CloudReading.ok(r);
        Map<String, ProbeResult> out = new HashMap<>();
        if (body == null) {
            ProbeResult failed = CloudReading.failed(r);
            jobs.forEach(j -> out.put(j, failed));
            return out;
        }
        JsonNode progress = CloudReading.ok(cloud.batchProgress(first.region(), first.projectId(), jobs));
        for (String job : jobs) {
            out.put(job, reading(result(body, "id", job), progress == null ? null : result(progress, "job_id", job)));
        }
        return out;
    }

    /** One job's status and, when its progress came back, its sync delay. */
    private ProbeResult reading(JsonNode result, JsonNode progress) {
        CloudReading.Status status = CloudReading.classify(result, StatusVocabulary.DRS_JOB);
        Duration lag = null;
        if (progress != null) {
            JsonNode delay = progress.path(fields.drsLagField());
            if (!delay.isMissingNode() && !delay.asText().isBlank()) {
                try {
                    lag = Duration.ofSeconds(Long.parseLong(delay.asText().trim()));
                } catch (NumberFormatException e) {
                    lag = null;
                }
            }
        }
        return CloudReading.result(status.meaning(), "DRS job " + status.quoted()
                + (lag != null ? ", sync delay " + lag.toSeconds() + "s" : ""), lag, null);
    }

    /**
     * The job's entry in a batch answer. A one-job answer is read whatever id it carries (as before batching); in a
     * longer one a job without its own entry has none (MissingNode: no readable status).
     */
    private static JsonNode result(JsonNode body, String idField, String job) {
        JsonNode results = body.path("results");
        for (JsonNode r : results) {
            if (job.equals(r.path(idField).asText())) {
                return r;
            }
        }
        return results.size() == 1 ? results.path(0) : MissingNode.getInstance();
    }
}
