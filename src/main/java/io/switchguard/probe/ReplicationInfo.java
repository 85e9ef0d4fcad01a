package io.switchguard.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code INFO replication} says, as far as the probes use it. Numbers the server did not report are null.
 *
 * @param role "master" or "replica" (Redis says "slave"; both are accepted)
 * @param masterLinkStatus a replica's "up" or "down"; null on a master
 * @param masterLinkDownSinceSeconds a replica's seconds since the link went down; -1 when it never came up
 * @param syncInProgress a replica is loading a full copy from its master
 * @param masterHost a replica's master, as "host:port"
 * @param connectedSlaves how many replicas this node has (it says so on replicas too)
 * @param masterReplOffset the replication offset this node has (a replica's is the master's it has applied)
 * @param slaveReplOffset a replica's own offset
 * @param replicas a master's connected replicas, from the slaveN lines
 */
public record ReplicationInfo(
        String role,
        String masterLinkStatus,
        Long masterLinkDownSinceSeconds,
        boolean syncInProgress,
        String masterHost,
        Integer connectedSlaves,
        Long masterReplOffset,
        Long slaveReplOffset,
        List<Replica> replicas) {

    public static final String MASTER = "master";
    public static final String REPLICA = "replica";

    /** One {@code slaveN:ip=...,port=...,state=online,offset=...,lag=...} line. Missing numbers are -1. */
    public record Replica(String ip, int port, String state, long offset, long lag) {
        public boolean online() {
            return "online".equals(state);
        }
    }

    private static final Pattern SLAVE_KEY = Pattern.compile("slave\\d+");

    /** Throws {@link RespClient.ProtocolException} when there is no role: then it is not a Redis INFO answer. */
    public static ReplicationInfo parse(String text) throws RespClient.ProtocolException {
        String role = null;
        String linkStatus = null;
        Long downSince = null;
        boolean syncing = false;
        String masterHost = null;
        String masterPort = null;
        Integer connected = null;
        Long masterOffset = null;
        Long slaveOffset = null;
        List<Replica> replicas = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1);
            switch (key) {
                case "role" -> role = switch (value.toLowerCase(Locale.ROOT)) {
                    case "master" -> MASTER;
                    case "slave", "replica" -> REPLICA;
                    default -> value;
                };
                case "master_link_status" -> linkStatus = value;
                case "master_link_down_since_seconds" -> downSince = longOrNull(value);
                case "master_sync_in_progress" -> syncing = "1".equals(value);
                case "master_host" -> masterHost = value;
                case "master_port" -> masterPort = value;
                case "connected_slaves" -> connected = intOrNull(value);
                case "master_repl_offset" -> masterOffset = longOrNull(value);
                case "slave_repl_offset" -> slaveOffset = longOrNull(value);
                default -> {
                    if (SLAVE_KEY.matcher(key).matches()) {
                        replicas.add(replica(value));
                    }
                }
            }
        }
        if (role == null) {
            throw new RespClient.ProtocolException("INFO replication has no role line");
        }
        String master = masterHost == null ? null
                : new StringBuilder(masterHost.indexOf(':') >= 0 ? "[" + masterHost + "]" : masterHost)
                        .append(':').append(masterPort == null ? "?" : masterPort).toString();
        return new ReplicationInfo(role, linkStatus, downSince, syncing, master, connected, masterOffset, slaveOffset,
                List.copyOf(replicas));
    }

    public boolean master() {
        return MASTER.equals(role);
    }

    public boolean replica() {
        return REPLICA.equals(role);
    }

    public List<Replica> onlineReplicas() {
        return replicas.stream().filter(Replica::online).toList();
    }

    private static Replica replica(String value) {
        String ip = "";
        String state = "";
        long port = -1;
        long offset = -1;
        long lag = -1;
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String v = pair.substring(eq + 1);
            switch (pair.substring(0, eq)) {
                case "ip" -> ip = v;
                case "port" -> port = orMinusOne(longOrNull(v));
                case "state" -> state = v;
                case "offset" -> offset = orMinusOne(longOrNull(v));
                case "lag" -> lag = orMinusOne(longOrNull(v));
                default -> { }
            }
        }
        return new Replica(ip, (int) Math.max(-1, Math.min(65535, port)), state, offset, lag);
    }

    private static long orMinusOne(Long n) {
        return n == null ? -1 : n;
    }

    private static Long longOrNull(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer intOrNull(String s) {
        Long n = longOrNull(s);
        return n == null || n > Integer.MAX_VALUE || n < Integer.MIN_VALUE ? null : n.intValue();
    }
}
