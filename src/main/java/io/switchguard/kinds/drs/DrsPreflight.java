package io.switchguard.kinds.drs;

import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.preflight.KindPreflight;
import io.switchguard.preflight.Readiness;
import io.switchguard.preflight.SignedRead;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DRS: the job exists and is in incremental sync, the state a dual-VIP switch acts in. A broken incremental sync
 * counts as switchable: it is the failure the switch is for.
 */
@ApplicationScoped
public class DrsPreflight implements KindPreflight {

    /** The DRS vocabulary's healthy and broken incremental replication (check/StatusVocabulary DRS_JOB). */
    private static final Set<String> SWITCHABLE = Set.of("INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED",
            "INCRE_TRANSFER_FAILED", "CHILD_TRANSFER_FAILED");

    private final DrsClient cloud;

    public DrsPreflight(DrsClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DRS);
    }

    @Override
    public List<Readiness.Check> check(Target t) {
        String what = "DRS job " + t.resourceId();
        SignedRead read = SignedRead.of(cloud.batchStatus(t.region(), t.projectId(), List.of(t.resourceId())),
                "drs", what);
        List<Readiness.Check> checks = new ArrayList<>(read.checks());
        if (!read.read()) {
            return checks;
        }
        var job = read.body().path("results").path(0);
        String status = job.path("status").asText("");
        if (job.isMissingNode() || status.isEmpty()) {
            checks.add(Readiness.Check.fail("resource", what + " is not in the batch-status answer"
                    + (job.path("error_msg").isTextual() ? " (" + job.path("error_msg").asText() + ")" : "")));
            return checks;
        }
        checks.add(Readiness.Check.pass("resource", what + " exists"));
        checks.add(SWITCHABLE.contains(status.toUpperCase(Locale.ROOT))
                ? Readiness.Check.pass("switchable", what + " is in incremental sync (" + status + ")")
                : Readiness.Check.fail("switchable", what + " is " + status + ", not in incremental sync: a VIP"
                        + " switch needs a running incremental replication"));
        return checks;
    }
}
