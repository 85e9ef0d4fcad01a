package io.switchguard.kinds.dcs;

import io.switchguard.config.Kind;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.Reply;
import io.switchguard.sandbox.Request;
import io.switchguard.sandbox.SandboxFault.Op;
import io.switchguard.sandbox.SandboxFault;
import io.switchguard.sandbox.SimulatedKind;
import io.switchguard.sandbox.Simulation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulated DCS: the v2 and v1.0 swap, the groups and the instance detail, and a data plane. Once the
 * simulator listens, every instance has four RESP listeners on 127.0.0.1 ({@link SimulatedRedisNode}): one per node
 * ({@link #nodeAddress}) and two stable service endpoints, {@link #primaryEndpoint} and {@link #standbyEndpoint},
 * that answer as whichever node holds the role right now, so a statically configured probe sees a swap. Roles
 * follow the state the API changes; replication offsets advance with the clock.
 */
public final class DcsSimulator implements SimulatedKind {

    /** The slice's registration with the simulator. */
    @Singleton
    public static final class Factory implements SimulatedKind.Factory {
        @Override
        public SimulatedKind create(Simulation simulation) {
            return new DcsSimulator(simulation);
        }
    }

    private final Simulation sim;
    private final Object lock;
    // guarded by lock
    private final Map<String, DcsInstance> dcs = new LinkedHashMap<>();
    private int ipCounter;
    private final DcsDataPlane dataPlane;

    private DcsSimulator(Simulation sim) {
        this.sim = sim;
        this.lock = sim.lock();
        this.dataPlane = new DcsDataPlane(sim, dcs);
    }

    /** The DCS part of a simulator. */
    public static DcsSimulator of(CloudSimulator simulator) {
        return simulator.part(DcsSimulator.class);
    }

    @Override
    public Set<Kind> kinds() {
        return Set.of(Kind.DCS, Kind.DCS_V1);
    }

    @Override
    public String name() {
        return "dcs";
    }

    @Override
    public void routes(Routes routes) {
        routes.add("POST", "/v2/{project_id}/instances/{instance_id}/swap", r -> swap(r, Op.DCS_V2));
        routes.add("PUT", "/v1.0/{project_id}/instances/{instance_id}/swap", r -> swap(r, Op.DCS_V1));
        routes.add("GET", "/v2/{project_id}/instance/{instance_id}/groups", this::groups);
        routes.add("GET", "/v2/{project_id}/instances/{instance_id}", this::detail);
    }

    /**
     * A master/standby Redis instance: master node in AZ a, standby node in AZ b, status RUNNING. On a
     * started simulator its RESP listeners are bound before this returns (unless called on an event loop:
     * then they are bound in the background and the address methods answer null until they are).
     */
    @Override
    public void add(String projectId, String instanceId) {
        List<SimulatedRedisNode> replaced;
        synchronized (lock) {
            DcsInstance old = dcs.put(instanceId, new DcsInstance(projectId, instanceId, ++ipCounter,
                    sim.clock().instant()));
            replaced = old == null ? List.of() : old.unbindDataPlane();
        }
        replaced.forEach(SimulatedRedisNode::close);
        if (sim.listening()) {
            Future<Void> bound = dataPlane.bind(instanceId);
            if (!Context.isOnEventLoopThread()) {
                DcsDataPlane.await(bound, "the data plane of " + instanceId);
            }
        }
    }

    @Override
    public boolean has(String resourceId) {
        return dcs.containsKey(resourceId);
    }

    @Override
    public String pin(String resourceId, DataPlaneFault fault) {
        return dcs.get(resourceId).master().nodeId;
    }

    @Override
    public void start() {
        List<String> ids;
        synchronized (lock) {
            ids = List.copyOf(dcs.keySet());
        }
        ids.forEach(id -> DcsDataPlane.await(dataPlane.bind(id), "the data plane of " + id));
    }

    @Override
    public void stop() {
        List<SimulatedRedisNode> listeners = new ArrayList<>();
        synchronized (lock) {
            dcs.values().forEach(d -> listeners.addAll(d.unbindDataPlane()));
        }
        dataPlane.close(listeners);
    }

    @Override
    public Optional<Endpoints> endpoints(String instanceId) {
        return Optional.of(new Endpoints(primaryEndpoint(instanceId), standbyEndpoint(instanceId)));
    }

    @Override
    public JsonObject state(Instant now) {
        JsonObject dcsOut = new JsonObject();
        dcs.values().forEach(d -> {
            JsonObject out = new JsonObject().put("project_id", d.projectId)
                    .put("status", status(d)).put("master", d.master().json()).put("standby", d.standby().json())
                    .put("swaps", d.swaps);
            if (d.primaryEndpoint != null) {
                JsonObject nodes = new JsonObject();
                for (DcsInstance.Node n : d.nodes) {
                    nodes.put(n.nodeId, DcsDataPlane.address(n.listener));
                }
                out.put("endpoints", new JsonObject().put("primary", DcsDataPlane.address(d.primaryEndpoint))
                        .put("standby", DcsDataPlane.address(d.standbyEndpoint)).put("nodes", nodes));
            }
            dcsOut.put(d.id, out);
        });
        return dcsOut;
    }

    // ------------------------------------------------------------------ state for tests

    /** Node id of the current master, or null for an unknown instance. */
    public String masterNode(String instanceId) {
        return read(instanceId, d -> d.master().nodeId);
    }

    /** Node id of the current standby, or null for an unknown instance. */
    public String standbyNode(String instanceId) {
        return read(instanceId, d -> d.standby().nodeId);
    }

    /** Instance status (RUNNING unless set). */
    public void setStatus(String instanceId, String status) {
        synchronized (lock) {
            Simulation.required(dcs, instanceId).status = status;
        }
    }

    /** {@code 127.0.0.1:<port>} of one node's RESP listener, or null (unknown, or not started). */
    public String nodeAddress(String instanceId, String nodeId) {
        return read(instanceId, d -> {
            for (DcsInstance.Node n : d.nodes) {
                if (n.nodeId.equals(nodeId)) {
                    return DcsDataPlane.address(n.listener);
                }
            }
            return null;
        });
    }

    /** Address of the node that is master now (changes with a swap), or null. */
    public String masterAddress(String instanceId) {
        return read(instanceId, d -> DcsDataPlane.address(d.master().listener));
    }

    /** Address of the node that is standby now (changes with a swap), or null. */
    public String standbyAddress(String instanceId) {
        return read(instanceId, d -> DcsDataPlane.address(d.standby().listener));
    }

    /**
     * Stable address that always answers as the current master, like the instance's domain name: the
     * one to put in a probe's configuration. Null for an unknown instance or before start.
     */
    public String primaryEndpoint(String instanceId) {
        return read(instanceId, d -> DcsDataPlane.address(d.primaryEndpoint));
    }

    /** Stable address that always answers as the current standby. Null for an unknown instance or before start. */
    public String standbyEndpoint(String instanceId) {
        return read(instanceId, d -> DcsDataPlane.address(d.standbyEndpoint));
    }

    /** Password the RESP listeners require ({@code -NOAUTH} before AUTH); null (default) = AUTH accepts anything. */
    public void setPassword(String password) {
        dataPlane.setPassword(password);
    }

    private String read(String instanceId, Function<DcsInstance, String> what) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : what.apply(d);
        }
    }

    // ------------------------------------------------------------------ routes

    private Reply swap(Request r, Op op) {
        synchronized (lock) {
            DcsInstance d = Simulation.owned(dcs, r.p("project_id"), r.p("instance_id"));
            if (d == null) {
                return notFound();
            }
            SandboxFault f = sim.takeFault(d.id, op);
            Reply failed = failure(f);
            if (failed != null) {
                return failed;
            }
            if (!"RUNNING".equals(d.status)) {
                return Reply.json(400, error("DCS.4049", "The instance status is not running."));
            }
            if (f != SandboxFault.NO_EFFECT) {
                d.swap(sim.clock().instant());
            }
            Reply ok = op == Op.DCS_V2 ? Reply.empty(204)
                    : Reply.json(200, new JsonObject().put("code", "").put("message", "success"));
            return Simulation.answered(f, ok);
        }
    }

    private Reply groups(Request r) {
        synchronized (lock) {
            DcsInstance d = Simulation.owned(dcs, r.p("project_id"), r.p("instance_id"));
            if (d == null) {
                return notFound();
            }
            SandboxFault f = sim.takeFault(d.id, Op.STATUS);
            Reply failed = Simulation.failure(f);
            if (failed != null) {
                return failed;
            }
            JsonArray replicas = new JsonArray();
            for (int i = 0; i < d.nodes.length; i++) {
                DcsInstance.Node n = d.nodes[i];
                replicas.add(new JsonObject()
                        .put("replication_role", i == d.masterIndex ? "master" : "slave")
                        .put("replication_ip", n.ip)
                        .put("replication_id", n.replicationId)
                        .put("node_id", n.nodeId)
                        // A failed node reads Inactive, as in DCS's node listing (Active|Inactive|...).
                        .put("status", nodeFailed(d, n) ? "Inactive" : "Active")
                        .put("az_code", n.az)
                        .put("is_replication", false)
                        .put("dimensions", new JsonArray()));
            }
            // Only the fields of the SDK's InstanceGroupListInfo (SandboxSdkOracleTest): a group has no status.
            JsonObject group = new JsonObject().put("group_id", d.id + "-group-0").put("group_name", "group-0")
                    .put("replication_list", replicas);
            return Reply.json(200, new JsonObject().put("group_count", 1)
                    .put("group_list", new JsonArray().add(group))).slowly(f == SandboxFault.STATUS_SLOW);
        }
    }

    private Reply detail(Request r) {
        synchronized (lock) {
            DcsInstance d = Simulation.owned(dcs, r.p("project_id"), r.p("instance_id"));
            if (d == null) {
                return notFound();
            }
            // Fields of the SDK's ShowInstanceResponse only (SandboxSdkOracleTest reads every answer strictly).
            JsonObject body = new JsonObject()
                    .put("instance_id", d.id)
                    .put("name", "sandbox-" + d.id)
                    .put("engine", "Redis")
                    .put("engine_version", "6.0")
                    .put("cache_mode", "ha")
                    .put("status", status(d))
                    .put("sub_status", "normal")
                    .put("ip", d.vip)
                    .put("port", 6379)
                    .put("domain_name", "redis-" + d.id + ".dcs.sandbox.local")
                    .put("readonly_domain_name", "redis-" + d.id + "-readonly.dcs.sandbox.local")
                    .put("capacity", 1)
                    .put("max_memory", 1024)
                    .put("used_memory", 2)
                    .put("replica_count", 2)
                    .put("sharding_count", 1)
                    .put("az_codes", new JsonArray().add(d.nodes[0].az).add(d.nodes[1].az))
                    .put("available_zones", new JsonArray().add(d.nodes[0].az).add(d.nodes[1].az))
                    .put("created_at", d.createdAt.toString())
                    .put("update_at", d.updatedAt.toString());
            return Reply.json(200, body);
        }
    }

    /** DCS's own refusals of a swap, then the generic faults. */
    private static Reply failure(SandboxFault f) {
        if (f == null) {
            return null;
        }
        return switch (f) {
            case DCS_4855 -> Reply.json(400, error("DCS.4855", "Master standby swap is not supported."));
            case DCS_5094 -> Reply.json(500, error("DCS.5094", "Master standby swap failed."));
            case V1_CODE_1 -> Reply.json(200, new JsonObject().put("code", "1")
                    .put("message", "repliation abnormal, master connected_slaves:0\r"));
            case V1_CODE_2 -> Reply.json(200, new JsonObject().put("code", "2")
                    .put("message", "master standby status abnormal\r"));
            case V1_CODE_3 -> Reply.json(200, new JsonObject().put("code", "3")
                    .put("message", "internal service error\r"));
            default -> Simulation.failure(f);
        };
    }

    private static Reply notFound() {
        return Reply.json(404, error("DCS.4800", "The instance does not exist."));
    }

    private static JsonObject error(String code, String msg) {
        return new JsonObject().put("error_msg", msg).put("error_code", code).putNull("error_ext_msg");
    }

    // ------------------------------------------------------------------ what a data-plane fault shows on the APIs

    /** A node the status APIs report failed: only a lasting DOWN (a FLAP blip never reaches them). */
    private boolean nodeFailed(DcsInstance d, DcsInstance.Node node) {
        Simulation.ActiveDataPlaneFault f = sim.dataPlaneFault(d.id);
        return f != null && f.kind() == DataPlaneFault.DOWN && node.nodeId.equals(f.pinned());
    }

    /**
     * Instance detail status. A dead master with no automatic failover leaves the instance unable to serve:
     * the documented status for "not running properly" is ERROR. The swap check reads the stored status,
     * so the sandbox still lets the swap through: it is what moves the master off the failed node.
     */
    private String status(DcsInstance d) {
        return "RUNNING".equals(d.status) && nodeFailed(d, d.master()) ? "ERROR" : d.status;
    }


}
