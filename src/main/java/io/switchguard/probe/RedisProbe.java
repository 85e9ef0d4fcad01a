package io.switchguard.probe;

import io.switchguard.probe.ProbeResult.Health;
import io.switchguard.probe.RespClient.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * Asks one Redis node {@code INFO replication} and judges the answer against the role it should have.
 *
 * <p>One fresh connection per probe, never a kept one: a kept connection keeps talking to the node it first
 * reached, so after a VIP or DNS switch it would still report on the old node, and it would stay UP while the
 * server refuses new clients (maxclients, a broken listener) — which is what applications see. A connect,
 * AUTH and INFO every few seconds costs the server nothing worth saving. Latency is that whole exchange.
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
public final class RedisProbe implements Probe {

    public enum Role { MASTER, REPLICA }

    private final HostPort address;
    private final String user;
    private final String password;
    private final RespClient.Tls tls;
    private final Duration timeout;
    private final Role expected;
    private final SSLSocketFactory tlsFactory;

    /** {@code user} and {@code password} may be null: no AUTH without a password, AUTH user password with both. */
    public RedisProbe(HostPort address, String user, String password, RespClient.Tls tls, Duration timeout, Role expected) {
        this(address, user, password, tls, timeout, expected, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public RedisProbe(HostPort address, String user, String password, RespClient.Tls tls, Duration timeout, Role expected,
            SSLSocketFactory tlsFactory) {
        this.address = Objects.requireNonNull(address, "address");
        this.user = user == null || user.isEmpty() ? null : user;
        this.password = password == null || password.isEmpty() ? null : password;
        if (this.user != null && this.password == null) {
            throw new IllegalArgumentException("a redis user needs a password");
        }
        this.tls = Objects.requireNonNull(tls, "tls");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.tlsFactory = Objects.requireNonNull(tlsFactory, "tlsFactory");
        Deadline.after(timeout); // fails now on a zero or negative timeout, not at the first probe
    }

    @Override
    public String describe() {
        return "redis " + address + " (" + expected.name().toLowerCase() + (tls == RespClient.Tls.OFF ? "" : ", tls") + ")";
    }

    @Override
    public ProbeResult probe() {
        Deadline deadline = Deadline.after(timeout);
        String step = "connecting";
        try (RespClient client = RespClient.connect(address, tls, timeout, tlsFactory)) {
            String note = "";
            if (password != null) {
                step = "authenticating";
                Reply reply = client.auth(user, password);
                if (reply instanceof Reply.Error error) {
                    if (!noPasswordConfigured(error)) {
                        return down("auth failed: " + error.message(), deadline);
                    }
                    // The server asks for no password: it is reachable and answers, so go on and say so.
                    note = "; server has no password set";
                } else if (!(reply instanceof Reply.Simple)) {
                    return down("protocol error: AUTH answered " + kind(reply), deadline);
                }
            }
            step = "reading INFO replication";
            Reply reply = client.info("replication");
            if (reply instanceof Reply.Error error) {
                String code = error.code();
                String why = code.equals("NOAUTH") ? "auth required: " : code.equals("NOPERM") ? "not permitted: " : "INFO failed: ";
                return down(why + error.message(), deadline);
            }
            if (!(reply instanceof Reply.Bulk bulk)) {
                return down("protocol error: INFO answered " + kind(reply), deadline);
            }
            return judge(ReplicationInfo.parse(bulk.value()), note, deadline.elapsed());
        } catch (IOException e) {
            return down(Net.describe(e, deadline) + " (" + step + ")", deadline);
        } catch (RuntimeException e) {
            // The contract: a probe never throws. A bug here must still read as a failed probe, with its cause.
            return down("probe failed: " + e, deadline);
        }
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

    private ProbeResult down(String detail, Deadline deadline) {
        return ProbeResult.down(scrub(detail), deadline.elapsed());
    }

    /** Server text ends up in details; a server (or something posing as one) could echo the password back. */
    private String scrub(String detail) {
        return password == null ? detail : detail.replace(password, "***");
    }

    @Override
    public String toString() {
        return "RedisProbe[" + address + ", expected " + expected + ", user " + (user == null ? "-" : user)
                + ", password " + (password == null ? "none" : "set") + ", tls " + tls + ", timeout " + timeout + "]";
    }
}
