package io.switchguard.kinds.dws;

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
 * DWS: the DR exists and is running, the state a failover acts in. An abnormal DR counts as switchable: it is the
 * failure the failover is for.
 */
@ApplicationScoped
public class DwsPreflight implements KindPreflight {

    private static final Set<String> SWITCHABLE = Set.of("RUNNING", "ABNORMAL");

    private final DwsClient cloud;

    public DwsPreflight(DwsClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DWS);
    }

    @Override
    public List<Readiness.Check> check(Target t) {
        String what = "DWS DR " + t.resourceId();
        SignedRead read = SignedRead.of(cloud.detail(t), "dws", what);
        List<Readiness.Check> checks = new ArrayList<>(read.checks());
        if (!read.read()) {
            return checks;
        }
        var dr = read.body().path("disaster_recovery");
        if (dr.isMissingNode()) {
            checks.add(Readiness.Check.fail("resource", "the answer for " + what + " holds no disaster_recovery"));
            return checks;
        }
        checks.add(Readiness.Check.pass("resource", what + " exists (primary cluster "
                + dr.path("primary_cluster").path("id").asText("?") + ")"));
        String status = dr.path("status").asText("");
        checks.add(SWITCHABLE.contains(status.toUpperCase(Locale.ROOT))
                ? Readiness.Check.pass("switchable", what + " is " + status)
                : Readiness.Check.fail("switchable", what + " is " + (status.isEmpty() ? "(no status)" : status)
                        + ", not running: a DR failover needs a running DR"));
        return checks;
    }
}
