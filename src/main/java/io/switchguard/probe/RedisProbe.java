package io.switchguard.probe;

import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.RespClient.Reply;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks one Redis node {@code INFO replication} and judges the answer against the role it should have.
 *
 * <p>By default one fresh connection per probe, never a kept one: a kept connection keeps talking to the node it
 * first reached, so after a VIP or DNS switch it would still report on the old node, and it would stay UP while the
 * server refuses new clients (maxclients, a broken listener), which is what applications see. A connect, AUTH and
 * INFO every few seconds costs the server nothing worth saving. Latency is that whole exchange.
 *
 * <p>Persistent (a target's {@code probe.fast: true}): one connection kept open, INFO replication asked on it at
 * each probe. Its loss is evidence at once: {@link #onLost} is told when the server closes it between probes, and
 * the next run reports that loss as one failed probe without waiting for a timeout; the run after that reconnects.
 * A single loss is one failed probe, never a breach by itself; a reconnect that answers is a healthy probe, and
 * says so ({@link #RECONNECTED}).
 *
 * <ul>
 *   <li>Expecting MASTER: UP when the node says master. lagBytes = master_repl_offset minus the lowest offset of
 *       its online replicas; no replica connected is not a failure of the master (said in the detail, lagBytes
 *       null).
 *   <li>Expecting REPLICA: UP when the node says replica and its link to the master is up. masterLinkUp is that
 *       link. lagBytes stays null: a replica does not know its master's offset. When the link is down, lag is how
 *       long it has been down (its data is at least that old).
 *   <li>The other role is DOWN ("role is replica, expected master"), still carrying role and link, so a promoted
 *       standby can be recognized. Refused, timed out, auth refused, protocol errors: DOWN with that reason.
 * </ul>
 * The password is never part of a detail, describe() or toString().
 */
public final class RedisProbe implements AsyncProbe {

    public enum Role { MASTER, REPLICA }

    /**
     * Ends the detail of a persistent probe's first answer on a new connection after the last one was lost: a
     * reconnect that works, which ends the failure streak (the checker's rule for fast mode).
     */
    public static final String RECONNECTED = "; reconnected after a lost connection";

    /** A probe's failure that ends it: the words for the detail. */
    private static final class Failed extends RuntimeException {
        Failed(String detail) {
            super(detail, null, false, false);
        }
    }

    private final Net net;
    private final HostPort address;
    private final String user;
    private final String password;
    private final RespClient.Tls tls;
    private final TrustOptions trust;
    private final Duration timeout;
    private final Role expected;
    private final boolean persistent;
    // Persistent mode only; guarded by this.
    private RespClient kept;
    private boolean running;
    private String lost;
    /** A kept connection was lost or dropped since the last answer on a kept one. */
    private boolean broken;
    private Runnable onLost = () -> { };

    /** {@code user} and {@code password} may be null: no AUTH without a password, AUTH user password with both. */
    public RedisProbe(Net net, HostPort address, String user, String password, RespClient.Tls tls, Duration timeout,
            Role expected) {
        this(net, address, user, password, tls, timeout, expected, null, false);
    }

    /**
     * @param trust the certificates TLS accepts; null: the JVM's trust store
     * @param persistent keep one connection open and probe on it (fast mode)
     */
    public RedisProbe(Net net, HostPort address, String user, String password, RespClient.Tls tls, Duration timeout,
            Role expected, TrustOptions trust, boolean persistent) {
        this.net = Objects.requireNonNull(net, "net");
        this.address = Objects.requireNonNull(address, "address");
        this.user = user == null || user.isEmpty() ? null : user;
        this.password = password == null || password.isEmpty() ? null : password;
        if (this.user != null && this.password == null) {
            throw new IllegalArgumentException("a redis user needs a password");
        }
        this.tls = Objects.requireNonNull(tls, "tls");
        this.timeout = Timing.positive(timeout);
        this.expected = Objects.requireNonNull(expected, "expected");
        this.trust = trust;
        this.persistent = persistent;
    }

    @Override
    public String describe() {
        return "redis " + address + " (" + expected.name().toLowerCase() + (tls == RespClient.Tls.OFF ? "" : ", tls")
                + (persistent ? ", persistent" : "") + ")";
    }

    /** Persistent mode: told (on an event loop, keep it short) when the server closes the kept connection. */
    public void onLost(Runnable listener) {
        this.onLost = Objects.requireNonNull(listener, "listener");
    }

    public boolean persistent() {
        return persistent;
    }

    @Override
    public CompletionStage<ProbeResult> run() {
        long start = System.nanoTime();
        RespClient reuse;
        synchronized (this) {
            if (persistent && lost != null) {
                // The loss seen between probes is this probe's finding: counted now, not at a timeout.
                String why = lost;
                lost = null;
                return CompletableFuture.completedFuture(down("connection lost: " + why, start));
            }
            running = true;
            reuse = persistent && kept != null && kept.open() ? kept : null;
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        String[] step = {reuse == null ? "connecting" : "reading INFO replication"};
        RespClient[] client = {reuse};
        long timer = net.timer(timeout, () -> {
            if (result.complete(down(Timing.timedOut(timeout) + " (" + step[0] + ")", start))) {
                drop(client[0]);
            }
        });
        CompletionStage<RespClient> connected = reuse != null ? CompletableFuture.completedFuture(reuse)
                : RespClient.connect(net, address, tls, trust).thenCompose(c -> {
                    client[0] = c;
                    if (result.isDone()) {
                        // Timed out while connecting: nobody will use this one.
                        c.close();
                    }
                    return authenticate(c, step);
                });
        connected.thenCompose(c -> {
            step[0] = "reading INFO replication";
            return c.info("replication").thenApply(reply -> {
                keep(c);
                return reply;
            });
        }).thenApply(reply -> {
            if (reply instanceof Reply.Error error) {
                String code = error.code();
                String why = code.equals("NOAUTH") ? "auth required: " : code.equals("NOPERM") ? "not permitted: " : "INFO failed: ";
                throw new Failed(why + error.message());
            }
            if (!(reply instanceof Reply.Bulk bulk)) {
                throw new Failed("protocol error: INFO answered " + kind(reply));
            }
            try {
                return judge(ReplicationInfo.parse(bulk.value()), (client[0] == null ? "" : notes(client[0]))
                        + (reuse == null && reconnected() ? RECONNECTED : ""), Timing.since(start));
            } catch (RespClient.ProtocolException e) {
                throw new Failed(Net.describe(e) + " (" + step[0] + ")");
            }
        }).whenComplete((r, failure) -> {
            net.cancel(timer);
            synchronized (this) {
                running = false;
            }
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                drop(client[0]);
                result.complete(down(cause instanceof Failed f ? f.getMessage()
                        // A bug here must still read as a failed probe, with its cause.
                        : Net.describe(cause) + " (" + step[0] + ")", start));
            } else {
                result.complete(r);
            }
            if (!persistent) {
                drop(client[0]);
            }
        });
        return result;
    }

    /** AUTH when a password is configured; a server without one is reachable and answers, so go on and say so. */
    private CompletionStage<RespClient> authenticate(RespClient c, String[] step) {
        if (password == null) {
            return CompletableFuture.completedFuture(c);
        }
        step[0] = "authenticating";
        return c.auth(user, password).thenApply(reply -> {
            if (reply instanceof Reply.Error error) {
                if (!noPasswordConfigured(error)) {
                    throw new Failed("auth failed: " + error.message());
                }
                noPassword.add(c);
            } else if (!(reply instanceof Reply.Simple)) {
                throw new Failed("protocol error: AUTH answered " + kind(reply));
            }
            return c;
        });
    }

    /** Connections whose server asked for no password (said in every detail from them). */
    private final java.util.Set<RespClient> noPassword = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private String notes(RespClient c) {
        return noPassword.contains(c) ? "; server has no password set" : "";
    }

    /** Persistent mode: whether this answer on a new connection follows a lost one (and it is no longer broken). */
    private synchronized boolean reconnected() {
        boolean was = persistent && broken;
        broken = false;
        return was;
    }

    /** Persistent mode: keep a connection that answered, and watch it for a close between probes. */
    private void keep(RespClient c) {
        if (!persistent) {
            return;
        }
        synchronized (this) {
            if (kept == c) {
                return;
            }
            kept = c;
        }
        c.closed().thenAccept(cause -> {
            boolean tell;
            synchronized (this) {
                if (kept != c) {
                    return;
                }
                kept = null;
                broken = true;
                noPassword.remove(c);
                // A close while a probe runs is that probe's failure; between probes it is news of its own.
                tell = !running && !(cause instanceof java.io.EOFException e && "closed by the probe".equals(e.getMessage()));
                if (tell) {
                    lost = Net.describe(cause);
                }
            }
            if (tell) {
                onLost.run();
            }
        });
    }

    private void drop(RespClient c) {
        if (c == null) {
            return;
        }
        synchronized (this) {
            if (kept == c) {
                kept = null;
                broken = true;
            }
        }
        noPassword.remove(c);
        c.close();
    }

    @Override
    public void close() {
        RespClient c;
        synchronized (this) {
            c = kept;
            kept = null;
        }
        drop(c);
    }

    private ProbeResult judge(ReplicationInfo info, String note, Duration latency) {
        if (expected == Role.MASTER) {
            if (!info.master()) {
                return result(Health.DOWN, "role is " + info.role() + replicaOf(info) + ", expected master" + note, latency,
                        info, linkUp(info), null, null);
            }
            List<ReplicationInfo.Replica> online = info.onlineReplicas();
            int connected = Math.max(info.replicas().size(), info.connectedSlaves() == null ? 0 : info.connectedSlaves());
            if (connected == 0) {
                return result(Health.UP, "master, no replica connected" + note, latency, info, null, null, null);
            }
            if (online.isEmpty()) {
                return result(Health.UP, "master, no replica online (" + connected + " connected, "
                        + states(info.replicas()) + ")" + note, latency, info, null, null, null);
            }
            Long lagBytes = null;
            long lowest = online.stream().mapToLong(ReplicationInfo.Replica::offset).min().orElse(-1);
            if (info.masterReplOffset() != null && lowest >= 0) {
                lagBytes = Math.max(0, info.masterReplOffset() - lowest);
            }
            String offline = connected > online.size() ? " (" + (connected - online.size()) + " not online)" : "";
            return result(Health.UP, "master, " + online.size() + (online.size() == 1 ? " replica" : " replicas") + " online"
                    + offline + ", lag " + (lagBytes == null ? "unknown" : lagBytes + " bytes") + note, latency, info,
                    null, lagBytes, null);
        }
        if (!info.replica()) {
            return result(Health.DOWN, "role is " + info.role() + ", expected replica" + note, latency, info, null, null, null);
        }
        boolean up = Boolean.TRUE.equals(linkUp(info));
        Duration downFor = !up && info.masterLinkDownSinceSeconds() != null && info.masterLinkDownSinceSeconds() >= 0
                ? Duration.ofSeconds(info.masterLinkDownSinceSeconds()) : null;
        String link = up ? "up"
                : "down" + (info.syncInProgress() ? ", full sync in progress"
                        : downFor != null ? " for " + downFor.toSeconds() + "s" : "");
        String offset = info.slaveReplOffset() != null ? ", offset " + info.slaveReplOffset() : "";
        return result(up ? Health.UP : Health.DOWN, "replica, link to master" + (info.masterHost() == null ? "" : " " + info.masterHost())
                + " " + link + offset + note, latency, info, up, null, downFor);
    }

    private static Boolean linkUp(ReplicationInfo info) {
        return info.masterLinkStatus() == null ? null : "up".equals(info.masterLinkStatus());
    }

    private static String replicaOf(ReplicationInfo info) {
        return info.replica() && info.masterHost() != null ? " of " + info.masterHost() : "";
    }

    private static String states(List<ReplicationInfo.Replica> replicas) {
        return replicas.isEmpty() ? "state unknown"
                : String.join(", ", replicas.stream().map(r -> r.state().isEmpty() ? "?" : r.state()).toList());
    }

    private static boolean noPasswordConfigured(Reply.Error error) {
        // Redis 6: "ERR AUTH <password> called without any password configured for the default user..."
        return error.message().contains("without any password configured");
    }

    private static String kind(Reply reply) {
        return reply.getClass().getSimpleName().toLowerCase();
    }

    private ProbeResult result(Health health, String detail, Duration latency, ReplicationInfo info, Boolean masterLinkUp,
            Long lagBytes, Duration lag) {
        return new ProbeResult(health, scrub(detail), latency, info.role(), masterLinkUp, lagBytes, lag, null);
    }

    private ProbeResult down(String detail, long start) {
        return ProbeResult.down(scrub(detail), Timing.since(start));
    }

    /** Server text ends up in details; a server (or something posing as one) could echo the password back. */
    private String scrub(String detail) {
        return password == null ? detail : detail.replace(password, "***");
    }

    @Override
    public String toString() {
        return "RedisProbe[" + address + ", expected " + expected + ", user " + (user == null ? "-" : user)
                + ", password " + (password == null ? "none" : "set") + ", tls " + tls + ", timeout " + timeout
                + (persistent ? ", persistent" : "") + "]";
    }
}
