package io.switchguard.kinds.dcs;

import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.Simulation;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The simulated DCS data plane: four RESP listeners per instance on 127.0.0.1 ({@link SimulatedRedisNode}), one
 * per node and two stable service endpoints that answer as whichever node holds the role right now. What each
 * answers as is computed when asked, from the instance's roles, the clock and its data-plane fault: a dead or slow
 * pinned node, a standby whose link went down with its master (offset frozen then), a LAG that holds the standby
 * back. Offsets advance with the clock.
 */
final class DcsDataPlane {

    private static final Logger LOG = Logger.getLogger(DcsDataPlane.class);

    private final Simulation sim;
    private final Object lock;
    /** The DCS part's instances (guarded by the lock): a replaced instance's listeners answer as dead. */
    private final Map<String, DcsInstance> dcs;
    private volatile String password;

    DcsDataPlane(Simulation sim, Map<String, DcsInstance> dcs) {
        this.sim = sim;
        this.lock = sim.lock();
        this.dcs = dcs;
    }

    /** Password the listeners require ({@code -NOAUTH} before AUTH); null = AUTH accepts anything. */
    void setPassword(String password) {
        this.password = password;
    }

    /** Binds the four RESP listeners of one instance (no-op if bound or unknown). */
    Future<Void> bind(String instanceId) {
        List<SimulatedRedisNode> listeners;
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            if (d == null || d.primaryEndpoint != null) {
                return Future.succeededFuture();
            }
            for (int i = 0; i < d.nodes.length; i++) {
                int index = i;
                d.nodes[i].listener = new SimulatedRedisNode(sim.vertx(), d.nodes[i].nodeId,
                        () -> persona(d, x -> x.nodes[index]));
            }
            d.primaryEndpoint = new SimulatedRedisNode(sim.vertx(), instanceId + " primary endpoint",
                    () -> persona(d, DcsInstance::master));
            d.standbyEndpoint = new SimulatedRedisNode(sim.vertx(), instanceId + " standby endpoint",
                    () -> persona(d, DcsInstance::standby));
            listeners = List.of(d.nodes[0].listener, d.nodes[1].listener, d.primaryEndpoint, d.standbyEndpoint);
        }
        List<Future<SimulatedRedisNode>> bound = new ArrayList<>();
        listeners.forEach(n -> bound.add(n.listen()));
        return Future.all(bound).<Void>mapEmpty().onSuccess(v -> LOG.infof(
                "SANDBOX data plane of %s: primary endpoint %s, standby endpoint %s, nodes %s / %s", instanceId,
                listeners.get(2).address(), listeners.get(3).address(), listeners.get(0).address(),
                listeners.get(1).address()));
    }

    /** What one listener of {@code d} is now; {@code which} picks the node (a fixed one, or by role). */
    private SimulatedRedisNode.Persona persona(DcsInstance d, Function<DcsInstance, DcsInstance.Node> which) {
        synchronized (lock) {
            if (dcs.get(d.id) != d || d.primaryEndpoint == null) {
                return null; // replaced or stopped: answer as a dead node
            }
            Instant now = sim.clock().instant();
            Simulation.ActiveDataPlaneFault f = sim.dataPlaneFault(d.id);
            DcsInstance.Node node = which.apply(d);
            DcsInstance.Node master = d.master();
            DcsInstance.Node standby = d.standby();
            long written = d.offsetAt(now);
            // The standby stops applying when it loses its master: its offset freezes at the link-down moment.
            Instant linkDownSince = nodeDownSince(f, master, now);
            long applied = linkDownSince == null ? written : d.offsetAt(linkDownSince);
            if (f != null && f.kind() == DataPlaneFault.LAG) {
                applied = Math.max(0, applied - sim.lagFault().redisBytes());
            }
            SimulatedRedisNode.Replication replication;
            if (node == master) {
                replication = new SimulatedRedisNode.Master(written, nodeDownSince(f, standby, now) != null
                        ? List.of()
                        : List.of(new SimulatedRedisNode.Follower("127.0.0.1", standby.listener.port(), applied)));
            } else {
                replication = new SimulatedRedisNode.Replica("127.0.0.1", master.listener.port(),
                        linkDownSince == null,
                        linkDownSince == null ? 0 : Duration.between(linkDownSince, now).toSeconds(), applied);
            }
            boolean slow = f != null && f.kind() == DataPlaneFault.SLOW && node.nodeId.equals(f.pinned());
            return new SimulatedRedisNode.Persona(nodeDownSince(f, node, now) != null,
                    slow ? sim.dataPlaneSlowDelay() : Duration.ZERO, password, node.runId, node.listener.port(),
                    d.replId, replication);
        }
    }

    /** Since when {@code node} is down under {@code f} (DOWN, or FLAP in a down slice), null if it is up. */
    private Instant nodeDownSince(Simulation.ActiveDataPlaneFault f, DcsInstance.Node node, Instant now) {
        return f != null && node.nodeId.equals(f.pinned()) ? sim.downSince(f, now) : null;
    }

    static String address(SimulatedRedisNode n) {
        return n == null || n.port() == 0 ? null : n.address();
    }

    static void await(Future<?> f, String what) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not bind " + what + " on 127.0.0.1", e);
        }
    }

    /** Closes unbound listeners and waits for each. */
    void close(List<SimulatedRedisNode> listeners) {
        for (SimulatedRedisNode n : listeners) {
            try {
                n.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("sandbox RESP listener %s did not close cleanly: %s", n.name(), e.toString());
            }
        }
    }
}
