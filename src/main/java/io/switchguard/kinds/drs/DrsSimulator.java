package io.switchguard.kinds.drs;

import io.switchguard.config.Kind;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.Reply;
import io.switchguard.sandbox.Request;
import io.switchguard.sandbox.SandboxFault.Op;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SimulatedKind;
import io.switchguard.sandbox.Simulation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulated DRS: dual-VIP switch-vip and get-switch-vip-status, batch-status and batch-progress (many jobs per
 * call, as the real API). A switch-vip runs for the switch time, evaluated lazily against the clock; one sent while
 * a switch is still running restarts it. DRS has no data plane here: a data-plane fault shows on the job status.
 */
public final class DrsSimulator implements SimulatedKind {

    /** The slice's registration with the simulator. */
    @Singleton
    public static final class Factory implements SimulatedKind.Factory {
        @Override
        public SimulatedKind create(Simulation simulation) {
            return new DrsSimulator(simulation);
        }
    }

    public static final String SWITCH_VIP_START = "SWITCH_VIP_START";
    public static final String SWITCH_VIP_COMPLETE = "SWITCH_VIP_COMPLETE";
    public static final String SWITCH_VIP_FAILED = "SWITCH_VIP_FAILED";

    private final Simulation sim;
    private final Object lock;
    // guarded by lock
    private final Map<String, Job> drs = new LinkedHashMap<>();
    private volatile Duration switchTime = Duration.ofMillis(300);

    private DrsSimulator(Simulation sim) {
        this.sim = sim;
        this.lock = sim.lock();
    }

    /** The DRS part of a simulator. */
    public static DrsSimulator of(CloudSimulator simulator) {
        return simulator.part(DrsSimulator.class);
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DRS);
    }

    @Override
    public String name() {
        return "drs";
    }

    @Override
    public void routes(Routes routes) {
        routes.add("POST", "/v3/{project_id}/jobs/{job_id}/switch-vip", this::switchVip);
        routes.add("GET", "/v3/{project_id}/jobs/{job_id}/get-switch-vip-status", this::switchVipStatus);
        routes.add("POST", "/v3/{project_id}/jobs/batch-status", this::batchStatus);
        routes.add("POST", "/v3/{project_id}/jobs/batch-progress", this::batchProgress);
    }

    /** A dual-VIP sync job in INCRE_TRANSFER_STARTED with no lag. */
    @Override
    public void add(String projectId, String jobId) {
        synchronized (lock) {
            drs.put(jobId, new Job(projectId, jobId));
        }
    }

    @Override
    public boolean has(String resourceId) {
        return drs.containsKey(resourceId);
    }

    @Override
    public String pin(String resourceId, DataPlaneFault fault) {
        if (fault == DataPlaneFault.SLOW) {
            throw new IllegalArgumentException("SLOW needs a data-plane listener; " + resourceId
                    + " is a DRS job or DWS DR, which have none here");
        }
        Job j = drs.get(resourceId);
        j.advance(sim.clock().instant());
        return j.activeSide();
    }

    @Override
    public JsonObject state(Instant now) {
        JsonObject drsOut = new JsonObject();
        drs.values().forEach(j -> {
            j.advance(now);
            drsOut.put(j.id, new JsonObject().put("project_id", j.projectId).put("status", status(j, now))
                    .put("lag_ms", lag(j).toMillis()).put("vip_side", j.vipSide)
                    .put("switch_status", j.switchStatus).put("switches", j.switches));
        });
        return drsOut;
    }

    // ------------------------------------------------------------------ state for tests

    /** Side ({@code source}/{@code target}) the VIP was moved to by the last completed switch, or null. */
    public String vipSide(String jobId) {
        return read(jobId, j -> j.vipSide);
    }

    /** Status the last switch-vip reports ({@code SWITCH_VIP_*}), or null before any switch. */
    public String switchStatus(String jobId) {
        return read(jobId, j -> j.switchStatus);
    }

    /** Replication lag reported by batch-progress. */
    public void setLag(String jobId, Duration lag) {
        synchronized (lock) {
            Simulation.required(drs, jobId).lag = lag;
        }
    }

    /** Job status reported by batch-status / transfer_status of batch-progress. */
    public void setJobStatus(String jobId, String status) {
        synchronized (lock) {
            Simulation.required(drs, jobId).status = status;
        }
    }

    public Duration switchTime() {
        return switchTime;
    }

    public void setSwitchTime(Duration d) {
        switchTime = Simulation.requireNonNegative(d);
    }

    private String read(String jobId, Function<Job, String> what) {
        synchronized (lock) {
            Job j = drs.get(jobId);
            if (j == null) {
                return null;
            }
            j.advance(sim.clock().instant());
            return what.apply(j);
        }
    }

    // ------------------------------------------------------------------ routes

    private Reply switchVip(Request r) {
        String mode;
        try {
            mode = new JsonObject(r.body()).getString("mode");
        } catch (DecodeException | ClassCastException e) {
            mode = null;
        }
        synchronized (lock) {
            Job j = Simulation.owned(drs, r.p("project_id"), r.p("job_id"));
            if (j == null) {
                return notFound(r.p("job_id"));
            }
            if (!"source".equals(mode) && !"target".equals(mode)) {
                return Reply.json(400, error("DRS.10000001",
                        "Invalid parameter: mode must be \"source\" or \"target\"."));
            }
            SandboxFault f = sim.takeFault(j.id, Op.DRS);
            Reply failed = f == SandboxFault.DRS_FAILED
                    ? Reply.json(202, new JsonObject().put("id", j.id).put("status", "failed")
                            .put("error_code", "DRS.10030001")
                            .put("error_msg", "Failed to switch over the virtual IP address."))
                    : Simulation.failure(f);
            if (failed != null) {
                return failed;
            }
            Instant now = sim.clock().instant();
            j.advance(now);
            j.startSwitch(mode, now.plus(switchTime), f);
            return Simulation.answered(f, Reply.json(202, new JsonObject().put("id", j.id).put("status", "success")));
        }
    }

    private Reply switchVipStatus(Request r) {
        synchronized (lock) {
            Job j = Simulation.owned(drs, r.p("project_id"), r.p("job_id"));
            if (j == null) {
                return notFound(r.p("job_id"));
            }
            SandboxFault f = sim.takeFault(j.id, Op.STATUS);
            Reply failed = Simulation.failure(f);
            if (failed != null) {
                return failed;
            }
            j.advance(sim.clock().instant());
            JsonObject body = new JsonObject().put("id", j.id);
            if (j.switchStatus != null) {
                body.put("status", j.switchStatus);
            }
            if (SWITCH_VIP_FAILED.equals(j.switchStatus)) {
                body.put("error_code", "DRS.10030002").put("error_msg", "Failed to switch the virtual IP address.");
            }
            return Reply.json(200, body).slowly(f == SandboxFault.STATUS_SLOW);
        }
    }

    private Reply batchStatus(Request r) {
        List<String> ids = jobIds(r.body());
        if (ids == null) {
            return Reply.json(400, error("DRS.10000001", "Invalid parameter: jobs is required."));
        }
        synchronized (lock) {
            Instant now = sim.clock().instant();
            JsonArray results = new JsonArray();
            for (String id : ids) {
                Job j = Simulation.owned(drs, r.p("project_id"), id);
                if (j == null) {
                    results.add(new JsonObject().put("id", id).put("status", "")
                            .put("error_code", "DRS.10000010").put("error_message", "The job does not exist."));
                } else {
                    j.advance(now);
                    results.add(new JsonObject().put("id", id).put("status", status(j, now)));
                }
            }
            return Reply.json(200, new JsonObject().put("count", results.size()).put("results", results));
        }
    }

    private Reply batchProgress(Request r) {
        List<String> ids = jobIds(r.body());
        if (ids == null) {
            return Reply.json(400, error("DRS.10000001", "Invalid parameter: jobs is required."));
        }
        synchronized (lock) {
            Instant now = sim.clock().instant();
            JsonArray results = new JsonArray();
            for (String id : ids) {
                Job j = Simulation.owned(drs, r.p("project_id"), id);
                if (j == null) {
                    results.add(new JsonObject().put("job_id", id)
                            .put("error_code", "DRS.10000010").put("error_msg", "The job does not exist."));
                    continue;
                }
                j.advance(now);
                Duration lag = lag(j);
                results.add(new JsonObject()
                        .put("job_id", id)
                        .put("progress", "100")
                        .put("incre_trans_delay", Long.toString(lag.toSeconds()))
                        .put("incre_trans_delay_millis", Long.toString(lag.toMillis()))
                        .put("task_mode", "FULL_INCR_TRANS")
                        .put("transfer_status", status(j, now))
                        .put("process_time", Long.toString(now.toEpochMilli()))
                        .put("remaining_time", "0")
                        .put("progress_map", new JsonObject()));
            }
            return Reply.json(202, new JsonObject().put("count", results.size()).put("results", results));
        }
    }
    private static List<String> jobIds(Buffer body) {
        try {
            JsonArray jobs = new JsonObject(body).getJsonArray("jobs");
            if (jobs == null) {
                return null;
            }
            List<String> ids = new ArrayList<>();
            for (Object o : jobs) {
                if (!(o instanceof String s)) {
                    return null;
                }
                ids.add(s);
            }
            return ids;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static Reply notFound(String jobId) {
        return Reply.json(404, error("DRS.10000010", "The job " + jobId + " does not exist."));
    }

    private static JsonObject error(String code, String msg) {
        return new JsonObject().put("error_code", code).put("error_msg", msg);
    }

    /** Job status under a data-plane fault on the side the VIP is on; caller holds lock and advanced {@code j}. */
    private String status(Job j, Instant now) {
        return sim.downNow(j.id, j.activeSide(), now) ? "INCRE_TRANSFER_FAILED" : j.status;
    }

    private Duration lag(Job j) {
        Duration faulted = sim.lagFault().drsDelay();
        return sim.lagging(j.id) && faulted.compareTo(j.lag) > 0 ? faulted : j.lag;
    }

    /** One sync job; guarded by the lock. */
    private static final class Job implements Simulation.Resource {
        final String projectId;
        final String id;
        String status = "INCRE_TRANSFER_STARTED";
        Duration lag = Duration.ZERO;
        String vipSide;
        String switchStatus;
        String pendingMode;
        Instant switchDoneAt;
        SandboxFault switchFault;
        int switches;

        Job(String projectId, String id) {
            this.projectId = projectId;
            this.id = id;
        }

        @Override
        public String projectId() {
            return projectId;
        }

        /** The side the VIP points at: source until a switch-vip completes. */
        String activeSide() {
            return vipSide == null ? "source" : vipSide;
        }

        void startSwitch(String mode, Instant doneAt, SandboxFault fault) {
            switchStatus = SWITCH_VIP_START;
            pendingMode = mode;
            switchDoneAt = doneAt;
            switchFault = fault;
            switches++;
        }

        void advance(Instant now) {
            if (!SWITCH_VIP_START.equals(switchStatus) || now.isBefore(switchDoneAt)) {
                return;
            }
            if (switchFault == SandboxFault.DRS_SWITCH_FAILED) {
                switchStatus = SWITCH_VIP_FAILED;
            } else {
                switchStatus = SWITCH_VIP_COMPLETE;
                if (switchFault != SandboxFault.NO_EFFECT) {
                    vipSide = pendingMode;
                }
            }
        }
    }
}
