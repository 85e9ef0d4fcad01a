package io.switchguard.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.kinds.dcs.DcsClient;
import io.switchguard.kinds.dcs.DcsStatus;
import io.switchguard.kinds.drs.DrsClient;
import io.switchguard.kinds.drs.DrsStatus;
import io.switchguard.kinds.dws.DwsClient;
import io.switchguard.kinds.dws.DwsStatus;
import io.switchguard.policy.CycleContext;
import io.switchguard.policy.Decision;
import io.switchguard.policy.Evaluation;
import io.switchguard.policy.Observation;
import io.switchguard.policy.Policy;
import io.switchguard.policy.Rules;
import io.switchguard.policy.TargetState;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A cloud that answers the status calls with fixed bodies, and the policy run on what the kinds' status readers make
 * of them: a reader is tested on the answer it parses, and on what that answer then lets the checker do.
 */
final class StatusAnswers {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROJECT = "0123456789abcdef0123456789abcdef";
    static final String ID = "5560df16-cebf-4473-95c4-d1b573c16e79";
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final String instance;
    private final String groups;
    private final String status;
    private final String progress;
    private final String dr;

    private StatusAnswers(String instance, String groups, String status, String progress, String dr) {
        this.instance = instance;
        this.groups = groups;
        this.status = status;
        this.progress = progress;
        this.dr = dr;
    }

    static StatusAnswers dcs(String instance, String groups) {
        return new StatusAnswers(instance, groups, null, null, null);
    }

    static StatusAnswers drs(String status, String progress) {
        return new StatusAnswers(null, null, status, progress, null);
    }

    static StatusAnswers dws(String dr) {
        return new StatusAnswers(null, null, null, null, dr);
    }

    /** A 200 with this raw body, parsed the way CloudClient parses (MissingNode when not JSON). */
    static CloudResponse answer(String raw) {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (Exception e) {
            body = JSON.missingNode();
        }
        return new CloudResponse.Answered(200, body == null ? JSON.missingNode() : body, raw, "req-1", null);
    }

    /** What the status reader makes of the answers. */
    ProbeResult read(Kind kind) {
        Target target = new Target("t", kind, "eu-de", PROJECT, ID, kind == Kind.DRS ? "target" : null, true,
                Duration.ofMinutes(5), null, null);
        return reader(kind).read(target);
    }

    private CloudStatusReader reader(Kind kind) {
        return switch (kind) {
            case DCS, DCS_V1 -> new DcsStatus(new DcsClient(null) {
                @Override
                public CloudResponse instance(Target t) {
                    return answer(instance);
                }

                @Override
                public CloudResponse groups(Target t) {
                    return answer(groups);
                }
            });
            case DRS -> new DrsStatus(new DrsClient(null, null) {
                @Override
                public CloudResponse batchStatus(String region, String projectId, List<String> jobIds) {
                    return answer(status);
                }

                @Override
                public CloudResponse batchProgress(String region, String projectId, List<String> jobIds) {
                    return answer(progress);
                }
            }, FIELDS);
            case DWS -> new DwsStatus(new DwsClient(null) {
                @Override
                public CloudResponse detail(Target t) {
                    return answer(dr);
                }
            }, FIELDS);
        };
    }

    static final SwitchguardConfig.Check FIELDS = new SwitchguardConfig.Check() {
        @Override
        public boolean scheduler() {
            return false;
        }

        @Override
        public String drsLagField() {
            return "incre_trans_delay";
        }

        @Override
        public String dwsLastSyncField() {
            return "last_success_time";
        }

        @Override
        public Duration pauseReminder() {
            return Duration.ofHours(24);
        }

        @Override
        public java.util.Optional<Duration> cyclePeriod() {
            return java.util.Optional.empty();
        }
    };

    static final Rules AUTO = new Rules(1, 2, null, null, Duration.ofMinutes(5), null, true);

    /** The data plane fails (threshold 1) and the cloud says {@code cloud}: what does the policy decide? */
    static Decision withFailingDataPlane(ProbeResult cloud, ProbeResult standby) {
        Observation obs = new Observation(NOW, ProbeResult.down("connection refused", Duration.ofMillis(1)), cloud,
                standby);
        return Policy.evaluate(AUTO, TargetState.initial(), obs, new CycleContext(false, false), NOW).decision();
    }

    /** No data-plane probe: the cloud status is the primary signal. */
    static Evaluation cloudOnly(ProbeResult cloud) {
        Observation obs = new Observation(NOW, null, cloud, null);
        return Policy.evaluate(AUTO, TargetState.initial(), obs, new CycleContext(false, false), NOW);
    }

    /** A standby whose master link is down: the second signal that confirms a dead primary. */
    static ProbeResult standbyLinkDown() {
        return new ProbeResult(ProbeResult.Health.DOWN, "replica, link to master down", Duration.ofMillis(1), "slave",
                false, null, null, null);
    }
}
