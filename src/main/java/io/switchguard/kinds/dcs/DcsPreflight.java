package io.switchguard.kinds.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.preflight.KindPreflight;
import io.switchguard.preflight.Readiness;
import io.switchguard.preflight.SignedRead;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DCS: the instance exists, is master/standby (cache_mode ha: a single-node or cluster instance has no swap), and
 * its replication list has a standby to swap to.
 */
@ApplicationScoped
public class DcsPreflight implements KindPreflight {

    private final DcsClient cloud;

    public DcsPreflight(DcsClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DCS, Kind.DCS_V1);
    }

    @Override
    public List<Readiness.Check> check(Target t) {
        String what = "DCS instance " + t.resourceId();
        SignedRead read = SignedRead.of(cloud.instance(t), "dcs", what);
        List<Readiness.Check> checks = new ArrayList<>(read.checks());
        if (!read.read()) {
            return checks;
        }
        String mode = read.body().path("cache_mode").asText("");
        if (mode.isEmpty() || mode.startsWith("ha")) {
            checks.add(Readiness.Check.pass("resource", what + " is a master/standby instance"
                    + (mode.isEmpty() ? " (cache_mode not reported)" : " (cache_mode " + mode + ")")));
        } else {
            checks.add(Readiness.Check.fail("resource", what + " is not master/standby (cache_mode " + mode
                    + "): it has no standby to swap to"));
            return checks;
        }
        JsonNode groups = SignedRead.of(cloud.groups(t), "dcs", what)
                .body();
        if (groups == null || !groups.has("group_list")) {
            // Some regions lack the groups API: the status reader treats the node view as a bonus too.
            checks.add(Readiness.Check.pass("switchable", "the standby could not be listed (no node view here):"
                    + " not checked"));
            return checks;
        }
        for (JsonNode group : groups.path("group_list")) {
            for (JsonNode node : group.path("replication_list")) {
                String role = node.path("replication_role").asText("");
                if (role.equals("slave") || role.equals("replica")) {
                    checks.add(Readiness.Check.pass("switchable", "standby node " + node.path("node_id").asText()
                            + " is present (" + node.path("status").asText("status not reported") + ")"));
                    return checks;
                }
            }
        }
        checks.add(Readiness.Check.fail("switchable", "no standby node in the replication list of " + what
                + ": nothing to swap to"));
        return checks;
    }
}
