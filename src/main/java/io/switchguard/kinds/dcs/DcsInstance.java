package io.switchguard.kinds.dcs;

import io.switchguard.sandbox.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A simulated master/standby Redis instance: two nodes, which one is master, its listeners; guarded by the lock. */
final class DcsInstance implements Simulation.Resource {

    static final class Node {
        final String nodeId;
        final String ip;
        final String az;
        final String replicationId;
        final String runId = randomHex();
        SimulatedRedisNode listener;

        Node(String nodeId, String ip, String az, String replicationId) {
            this.nodeId = nodeId;
            this.ip = ip;
            this.az = az;
            this.replicationId = replicationId;
        }

        JsonObject json() {
            return new JsonObject().put("node_id", nodeId).put("ip", ip).put("az_code", az);
        }
    }

    final String projectId;
    final String id;
    final Node[] nodes;
    final String vip;
    final Instant createdAt;
    Instant updatedAt;
    int masterIndex;
    String status = "RUNNING";
    int swaps;
    final String replId = randomHex();
    SimulatedRedisNode primaryEndpoint;
    SimulatedRedisNode standbyEndpoint;

    /** Master node in AZ a, standby node in AZ b, on the n-th private subnet. */
    DcsInstance(String projectId, String id, int n, Instant createdAt) {
        this.projectId = projectId;
        this.id = id;
        this.nodes = new Node[] {
            new Node(id + "-node-0", "192.168." + n + ".11", "sandbox-1a", UUID.randomUUID().toString()),
            new Node(id + "-node-1", "192.168." + n + ".12", "sandbox-1b", UUID.randomUUID().toString())};
        this.vip = "192.168." + n + ".10";
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    @Override
    public String projectId() {
        return projectId;
    }

    Node master() {
        return nodes[masterIndex];
    }

    Node standby() {
        return nodes[1 - masterIndex];
    }

    void swap(Instant now) {
        masterIndex = 1 - masterIndex;
        swaps++;
        updatedAt = now;
    }

    /**
     * Replication offset written by {@code at}: the instance has been taking 16 KB/s of writes and starts
     * with 5 GB behind it, so a lag of hundreds of MB is a plausible difference of two offsets.
     */
    long offsetAt(Instant at) {
        return 5_000_000_000L + Math.max(0, Duration.between(createdAt, at).toMillis()) * 16;
    }

    /** Forgets the listeners and returns them for closing. */
    List<SimulatedRedisNode> unbindDataPlane() {
        if (primaryEndpoint == null) {
            return List.of();
        }
        List<SimulatedRedisNode> out = List.of(nodes[0].listener, nodes[1].listener, primaryEndpoint,
                standbyEndpoint);
        nodes[0].listener = null;
        nodes[1].listener = null;
        primaryEndpoint = null;
        standbyEndpoint = null;
        return out;
    }

    private static String randomHex() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
    }
}
