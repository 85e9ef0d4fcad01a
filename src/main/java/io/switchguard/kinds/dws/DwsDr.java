package io.switchguard.kinds.dws;

import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/** A simulated DR pair: which cluster is primary, the DR status and a running switch; guarded by the lock. */
final class DwsDr implements Simulation.Resource {

    static final class Cluster {
        final String id;
        final String name;
        final String az;
        String status = "waiting";

        Cluster(String id, String name, String az) {
            this.id = id;
            this.name = name;
            this.az = az;
        }

        /** The SDK's DisasterRecoveryCluster, field for field. */
        JsonObject json(String role, String shownStatus, String lastSuccessTime) {
            return new JsonObject()
                    .put("id", id)
                    .put("name", name)
                    .put("cluster_az", az)
                    .put("role", role)
                    .put("region", "sandbox-1")
                    .put("status", shownStatus)
                    .put("progress", "100%")
                    .put("last_success_time", lastSuccessTime)
                    .put("obs_bucket_name", "dws-dr-" + id);
        }
    }

    final String projectId;
    final String id;
    final Instant createdAt;
    Cluster primary;
    Cluster standby;
    String status = "running";
    Duration syncAge = Duration.ZERO;
    Instant failoverDoneAt;
    SandboxFault failoverFault;
    int failovers;
    int switchovers;

    DwsDr(String projectId, String id, Instant createdAt) {
        this.projectId = projectId;
        this.id = id;
        this.createdAt = createdAt;
        this.primary = new Cluster(id + "-cluster-a", "dws-a", "sandbox-1a");
        this.standby = new Cluster(id + "-cluster-b", "dws-b", "sandbox-1b");
    }

    @Override
    public String projectId() {
        return projectId;
    }

    void startFailover(Instant doneAt, SandboxFault fault) {
        startSwitch(doneAt, fault);
        failovers++;
    }

    /** A planned switchover trades roles like a failover and reads the same while it runs. */
    void startSwitchover(Instant doneAt, SandboxFault fault) {
        startSwitch(doneAt, fault);
        switchovers++;
    }

    private void startSwitch(Instant doneAt, SandboxFault fault) {
        status = "switchovering";
        failoverDoneAt = doneAt;
        failoverFault = fault;
    }

    void advance(Instant now) {
        if (!"switchovering".equals(status) || now.isBefore(failoverDoneAt)) {
            return;
        }
        if (failoverFault == SandboxFault.DWS_FAILOVER_FAILS) {
            status = "abnormal";
            standby.status = "abnormal";
            return;
        }
        if (failoverFault != SandboxFault.NO_EFFECT) {
            Cluster old = primary;
            primary = standby;
            standby = old;
        }
        status = "running";
    }
}
