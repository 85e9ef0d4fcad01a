package io.switchguard.kinds.dws;

import io.switchguard.config.Kind;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.Reply;
import io.switchguard.sandbox.Request;
import io.switchguard.sandbox.SandboxFault.Op;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SimulatedKind;
import io.switchguard.sandbox.Simulation;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulated DWS DR: the exception failover, the planned switchover and the DR detail that shows either while it
 * runs (switchovering for the failover time, evaluated lazily against the clock). A failover sent while the DR is
 * switchovering is refused with 400. DWS has no data plane here: a data-plane fault shows on the DR and cluster
 * status.
 */
public final class DwsSimulator implements SimulatedKind {

    /** The slice's registration with the simulator. */
    @Singleton
    public static final class Factory implements SimulatedKind.Factory {
        @Override
        public SimulatedKind create(Simulation simulation) {
            return new DwsSimulator(simulation);
        }
    }

    private final Simulation sim;
    private final Object lock;
    // guarded by lock
    private final Map<String, DwsDr> dws = new LinkedHashMap<>();
    private volatile Duration failoverTime = Duration.ofSeconds(1);

    private DwsSimulator(Simulation sim) {
        this.sim = sim;
        this.lock = sim.lock();
    }

    /** The DWS part of a simulator. */
    public static DwsSimulator of(CloudSimulator simulator) {
        return simulator.part(DwsSimulator.class);
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DWS);
    }

    @Override
    public String name() {
        return "dws";
    }

    @Override
    public void routes(Routes routes) {
        routes.add("POST", "/v2/{project_id}/disaster-recovery/{disaster_recovery_id}/failover", this::failover);
        routes.add("POST", "/v2/{project_id}/disaster-recovery/{disaster_recovery_id}/switchover", this::switchover);
        routes.add("GET", "/v2/{project_id}/disaster-recovery/{disaster_recovery_id}", this::detail);
    }

    /** A DR pair (primary + standby cluster), status running. */
    @Override
    public void add(String projectId, String drId) {
        synchronized (lock) {
            dws.put(drId, new DwsDr(projectId, drId, sim.clock().instant()));
        }
    }

    @Override
    public boolean has(String resourceId) {
        return dws.containsKey(resourceId);
    }

    @Override
    public String pin(String resourceId, DataPlaneFault fault) {
        if (fault == DataPlaneFault.SLOW) {
            throw new IllegalArgumentException("SLOW needs a data-plane listener; " + resourceId
                    + " is a DRS job or DWS DR, which have none here");
        }
        DwsDr d = dws.get(resourceId);
        d.advance(sim.clock().instant());
        return d.primary.id;
    }

    @Override
    public JsonObject state(Instant now) {
        JsonObject dwsOut = new JsonObject();
        dws.values().forEach(d -> {
            d.advance(now);
            dwsOut.put(d.id, new JsonObject().put("project_id", d.projectId).put("status", status(d, now))
                    .put("primary_cluster", d.primary.id).put("standby_cluster", d.standby.id)
                    .put("failovers", d.failovers).put("switchovers", d.switchovers));
        });
        return dwsOut;
    }

    // ------------------------------------------------------------------ state for tests

    public String primaryCluster(String drId) {
        return read(drId, d -> d.primary.id);
    }

    public String standbyCluster(String drId) {
        return read(drId, d -> d.standby.id);
    }

    /** DR status as the DR detail API shows it (data-plane faults included). */
    public String status(String drId) {
        return read(drId, d -> status(d, sim.clock().instant()));
    }

    /** How far the standby is behind: {@code last_success_time} = now - age. */
    public void setSyncAge(String drId, Duration age) {
        synchronized (lock) {
            Simulation.required(dws, drId).syncAge = age;
        }
    }

    public Duration failoverTime() {
        return failoverTime;
    }

    public void setFailoverTime(Duration d) {
        failoverTime = Simulation.requireNonNegative(d);
    }

    private String read(String drId, Function<DwsDr, String> what) {
        synchronized (lock) {
            DwsDr d = dws.get(drId);
            if (d == null) {
                return null;
            }
            d.advance(sim.clock().instant());
            return what.apply(d);
        }
    }

    // ------------------------------------------------------------------ routes

    private Reply failover(Request r) {
        return trade(r, (d, now, f) -> {
            d.startFailover(now.plus(failoverTime), f);
            return Simulation.answered(f, accepted(d));
        });
    }

    /**
     * Planned switchover: only a healthy DR (running, primary cluster not failed) trades roles, with no data loss;
     * otherwise 400, nothing changes. While it runs the DR reads switchovering, as during a failover. The refusal
     * code DWS.10103 is the sandbox's own (the real code is not documented here).
     */
    private Reply switchover(Request r) {
        return trade(r, (d, now, f) -> {
            if (!"running".equals(status(d, now))) {
                return Reply.json(400, new JsonObject().put("error_code", "DWS.10103")
                        .put("error_msg", "A planned switchover needs a running disaster recovery task; it is "
                                + status(d, now) + "."));
            }
            d.startSwitchover(now.plus(failoverTime), f);
            return Simulation.answered(f, accepted(d));
        });
    }

    /** How a DR operation that passed {@link #trade}'s checks starts, under the simulator's lock. */
    private interface Start {
        Reply start(DwsDr d, Instant now, SandboxFault f);
    }

    /**
     * What both DR operations answer before their own rules: 404 for a DR not in the project, a set fault's
     * failure, 400 while a switchover already runs.
     */
    private Reply trade(Request r, Start start) {
        synchronized (lock) {
            DwsDr d = Simulation.owned(dws, r.p("project_id"), r.p("disaster_recovery_id"));
            if (d == null) {
                return notFound();
            }
            SandboxFault f = sim.takeFault(d.id, Op.DWS);
            Reply failed = Simulation.failure(f);
            if (failed != null) {
                return failed;
            }
            Instant now = sim.clock().instant();
            d.advance(now);
            if ("switchovering".equals(d.status)) {
                return Reply.json(400, new JsonObject().put("error_code", "DWS.10102")
                        .put("error_msg", "The disaster recovery task is being switched over."));
            }
            return start.start(d, now, f);
        }
    }

    private static Reply accepted(DwsDr d) {
        return Reply.json(200, new JsonObject().put("disaster_recovery", new JsonObject().put("id", d.id)));
    }

    private Reply detail(Request r) {
        synchronized (lock) {
            DwsDr d = Simulation.owned(dws, r.p("project_id"), r.p("disaster_recovery_id"));
            if (d == null) {
                return notFound();
            }
            SandboxFault f = sim.takeFault(d.id, Op.STATUS);
            Reply failed = Simulation.failure(f);
            if (failed != null) {
                return failed;
            }
            Instant now = sim.clock().instant();
            d.advance(now);
            String lastSuccess = now.minus(syncAge(d)).truncatedTo(ChronoUnit.SECONDS).toString();
            JsonObject body = new JsonObject()
                    .put("id", d.id)
                    .put("name", "sandbox-dr-" + d.id)
                    .put("dr_type", "az")
                    .put("status", status(d, now))
                    .put("primary_cluster", d.primary.json("primary", clusterStatus(d, d.primary, now), lastSuccess))
                    .put("standby_cluster", d.standby.json("standby", clusterStatus(d, d.standby, now), lastSuccess))
                    .put("dr_sync_period", "1H")
                    .put("start_time", d.createdAt.truncatedTo(ChronoUnit.SECONDS).toString())
                    .put("create_time", d.createdAt.truncatedTo(ChronoUnit.SECONDS).toString());
            return Reply.json(200, new JsonObject().put("disaster_recovery", body))
                    .slowly(f == SandboxFault.STATUS_SLOW);
        }
    }

    private static Reply notFound() {
        // The real service answers DWS.10101 for an unknown DR; 404 as the failover API documents.
        return Reply.json(404, new JsonObject().put("error_code", "DWS.10101")
                .put("error_msg", "The disaster recovery task does not exist."));
    }

    /**
     * DR status: abnormal while its primary cluster is failed. Once a failover has made the healthy
     * cluster primary the DR reads running again and only the failed (now standby) cluster says abnormal.
     */
    private String status(DwsDr d, Instant now) {
        return "running".equals(d.status) && sim.downNow(d.id, d.primary.id, now) ? "abnormal" : d.status;
    }

    private String clusterStatus(DwsDr d, DwsDr.Cluster c, Instant now) {
        return sim.downNow(d.id, c.id, now) ? "abnormal" : c.status;
    }

    private Duration syncAge(DwsDr d) {
        Duration faulted = sim.lagFault().dwsSyncAge();
        return sim.lagging(d.id) && faulted.compareTo(d.syncAge) > 0 ? faulted : d.syncAge;
    }
}
