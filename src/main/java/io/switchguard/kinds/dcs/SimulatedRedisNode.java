package io.switchguard.kinds.dcs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A tiny RESP listener on 127.0.0.1 that answers like a Redis 6 node of a master/standby pair, enough for a
 * probe: {@code PING}, {@code ECHO}, {@code AUTH}, {@code INFO [section]}, {@code ROLE}, {@code SELECT},
 * {@code CLIENT}, {@code QUIT}.
 *
 * <p>It holds no state of its own: before every command (and on connect) it asks its {@link Persona}
 * supplier what it is right now, so the same class serves a node (persona of that node) and a service
 * endpoint (persona of whichever node holds the role, like DCS's domain name that follows the master). A
 * persona that is {@code down} gets the connection closed; one with a {@code delay} answers late, in order.
 *
 * <p>Non-blocking: everything runs on the socket's event loop; the delay is a Vert.x timer.
 */
final class SimulatedRedisNode {

    /** What the listener is at one moment. {@code password} null = AUTH accepts anything. */
    record Persona(boolean down, Duration delay, String password, String runId, int tcpPort, String replId,
            Replication replication) {
    }

    /** The replication half of a persona, rendered as {@code INFO replication} and {@code ROLE}. */
    sealed interface Replication permits Master, Replica {
    }

    /** A master; {@code offset} is {@code master_repl_offset}; {@code followers} are the connected replicas. */
    record Master(long offset, List<Follower> followers) implements Replication {
    }

    /** One connected replica as a master lists it ({@code slave0:ip=..,port=..,state=online,offset=..,lag=0}). */
    record Follower(String ip, int port, long offset) {
    }

    /** A replica of {@code masterHost:masterPort} that has processed up to {@code offset}. */
    record Replica(String masterHost, int masterPort, boolean linkUp, long linkDownSeconds, long offset)
            implements Replication {
    }

    /** A client sending more than this without a complete command is cut off (Redis does the same, bigger). */
    private static final int MAX_PENDING = 64 * 1024;

    private final Vertx vertx;
    private final String name;
    private final Supplier<Persona> persona;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile NetServer server;
    private volatile int port;

    SimulatedRedisNode(Vertx vertx, String name, Supplier<Persona> persona) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.name = Objects.requireNonNull(name, "name");
        this.persona = Objects.requireNonNull(persona, "persona");
    }

    /** Binds a free port on 127.0.0.1. */
    Future<SimulatedRedisNode> listen() {
        NetServer s = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1")).connectHandler(this::accept);
        return s.listen(0, "127.0.0.1").map(bound -> {
            server = bound;
            port = bound.actualPort();
            return this;
        });
    }

    /** Closes the listener and every open connection. */
    Future<Void> close() {
        NetServer s = server;
        server = null;
        sockets.forEach(NetSocket::close);
        sockets.clear();
        return s == null ? Future.succeededFuture() : s.close();
    }

    /** The bound port, 0 before {@link #listen()} completed. */
    int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    private void accept(NetSocket socket) {
        Persona p = persona.get();
        if (p == null || p.down()) {
            socket.close(); // a dead node: the TCP handshake succeeds (loopback), then EOF
            return;
        }
        sockets.add(socket);
        Connection c = new Connection(socket);
        socket.handler(c::onData);
        socket.closeHandler(v -> {
            c.closed = true;
            sockets.remove(socket);
        });
        socket.exceptionHandler(e -> socket.close());
    }

    /** Per-connection state; touched only on the socket's event loop. */
    private final class Connection {
        final NetSocket socket;
        Buffer in = Buffer.buffer();
        boolean waiting;
        boolean authenticated;
        boolean closed;

        Connection(NetSocket socket) {
            this.socket = socket;
        }

        void onData(Buffer data) {
            in.appendBuffer(data);
            if (in.length() > MAX_PENDING) {
                socket.end(error("ERR Protocol error: too big request"));
                return;
            }
            drain();
        }

        void drain() {
            while (!waiting && !closed) {
                List<String> command;
                try {
                    command = next();
                } catch (IllegalArgumentException e) {
                    socket.end(error("ERR Protocol error: " + e.getMessage()));
                    closed = true;
                    return;
                }
                if (command == null) {
                    return;
                }
                if (command.isEmpty()) {
                    continue;
                }
                Persona p = persona.get();
                if (p == null || p.down()) {
                    socket.close();
                    closed = true;
                    return;
                }
                boolean quit = "QUIT".equalsIgnoreCase(command.get(0));
                Buffer reply = answer(p, command);
                long ms = p.delay() == null ? 0 : p.delay().toMillis();
                if (ms <= 0) {
                    send(reply, quit);
                    continue;
                }
                waiting = true;
                vertx.setTimer(ms, id -> {
                    waiting = false;
                    if (!closed) {
                        send(reply, quit);
                        drain();
                    }
                });
            }
        }

        void send(Buffer reply, boolean quit) {
            if (quit) {
                socket.end(reply);
                closed = true;
            } else {
                socket.write(reply);
            }
        }

        Buffer answer(Persona p, List<String> cmd) {
            String verb = cmd.get(0).toUpperCase(Locale.ROOT);
            if (verb.equals("AUTH")) {
                if (cmd.size() < 2 || cmd.size() > 3) {
                    return error("ERR wrong number of arguments for 'auth' command");
                }
                if (p.password() != null && !p.password().equals(cmd.get(cmd.size() - 1))) {
                    return error("WRONGPASS invalid username-password pair or user is disabled.");
                }
                authenticated = true;
                return simple("OK");
            }
            if (verb.equals("QUIT")) {
                return simple("OK");
            }
            if (p.password() != null && !authenticated) {
                return error("NOAUTH Authentication required.");
            }
            return switch (verb) {
                case "PING" -> cmd.size() > 1 ? bulk(cmd.get(1)) : simple("PONG");
                case "ECHO" -> cmd.size() == 2 ? bulk(cmd.get(1))
                        : error("ERR wrong number of arguments for 'echo' command");
                case "INFO" -> bulk(info(p, cmd.size() > 1 ? cmd.get(1).toLowerCase(Locale.ROOT) : "default"));
                case "ROLE" -> role(p.replication());
                case "SELECT", "CLIENT" -> simple("OK");
                default -> error("ERR unknown command '" + cmd.get(0) + "', with args beginning with: ");
            };
        }

        /** The next complete command (inline or RESP array), {@code null} if more bytes are needed. */
        List<String> next() {
            if (in.length() == 0) {
                return null;
            }
            int[] pos = {0};
            List<String> cmd;
            if (in.getByte(0) == '*') {
                String header = line(pos);
                if (header == null) {
                    return null;
                }
                int n = number(header.substring(1));
                cmd = new ArrayList<>(Math.max(0, n));
                for (int i = 0; i < n; i++) {
                    String len = line(pos);
                    if (len == null) {
                        return null;
                    }
                    if (len.isEmpty() || len.charAt(0) != '$') {
                        throw new IllegalArgumentException("expected '$', got '" + (len.isEmpty() ? "" : len.charAt(0)) + "'");
                    }
                    int l = number(len.substring(1));
                    if (in.length() < pos[0] + l + 2) {
                        return null;
                    }
                    cmd.add(in.getString(pos[0], pos[0] + l, StandardCharsets.UTF_8.name()));
                    pos[0] += l + 2;
                }
            } else {
                String inline = line(pos);
                if (inline == null) {
                    return null;
                }
                cmd = new ArrayList<>();
                for (String part : inline.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        cmd.add(part);
                    }
                }
            }
            in = in.getBuffer(pos[0], in.length());
            return cmd;
        }

        /** The line starting at pos[0] without its CRLF (or LF), advancing pos; null if incomplete. */
        private String line(int[] pos) {
            for (int i = pos[0]; i < in.length(); i++) {
                if (in.getByte(i) == '\n') {
                    int end = i > pos[0] && in.getByte(i - 1) == '\r' ? i - 1 : i;
                    String s = in.getString(pos[0], end, StandardCharsets.UTF_8.name());
                    pos[0] = i + 1;
                    return s;
                }
            }
            return null;
        }

        private int number(String s) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n < 0 || n > MAX_PENDING) {
                    throw new IllegalArgumentException("invalid length " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid length");
            }
        }
    }

    // ------------------------------------------------------------------ rendering

    /** INFO text of one section, or of server + replication for {@code default}/{@code all}/{@code everything}. */
    static String info(Persona p, String section) {
        return switch (section) {
            case "replication" -> replication(p);
            case "server" -> server(p);
            case "default", "all", "everything" -> server(p) + "\r\n" + replication(p);
            default -> "";
        };
    }

    private static String server(Persona p) {
        return "# Server\r\n"
                + "redis_version:6.2.14\r\n"
                + "redis_mode:standalone\r\n"
                + "os:Linux sandbox\r\n"
                + "arch_bits:64\r\n"
                + "run_id:" + p.runId() + "\r\n"
                + "tcp_port:" + p.tcpPort() + "\r\n";
    }

    private static String replication(Persona p) {
        StringBuilder b = new StringBuilder("# Replication\r\n");
        long offset;
        if (p.replication() instanceof Master m) {
            b.append("role:master\r\n");
            b.append("connected_slaves:").append(m.followers().size()).append("\r\n");
            for (int i = 0; i < m.followers().size(); i++) {
                Follower f = m.followers().get(i);
                b.append("slave").append(i).append(":ip=").append(f.ip()).append(",port=").append(f.port())
                        .append(",state=online,offset=").append(f.offset()).append(",lag=0\r\n");
            }
            offset = m.offset();
        } else {
            Replica r = (Replica) p.replication();
            b.append("role:slave\r\n");
            b.append("master_host:").append(r.masterHost()).append("\r\n");
            b.append("master_port:").append(r.masterPort()).append("\r\n");
            b.append("master_link_status:").append(r.linkUp() ? "up" : "down").append("\r\n");
            b.append("master_last_io_seconds_ago:").append(r.linkUp() ? 1 : -1).append("\r\n");
            b.append("master_sync_in_progress:0\r\n");
            b.append("slave_repl_offset:").append(r.offset()).append("\r\n");
            if (!r.linkUp()) {
                b.append("master_link_down_since_seconds:").append(r.linkDownSeconds()).append("\r\n");
            }
            b.append("slave_priority:100\r\n");
            b.append("slave_read_only:1\r\n");
            b.append("replica_announced:1\r\n");
            b.append("connected_slaves:0\r\n");
            offset = r.offset();
        }
        b.append("master_failover_state:no-failover\r\n");
        b.append("master_replid:").append(p.replId()).append("\r\n");
        b.append("master_replid2:0000000000000000000000000000000000000000\r\n");
        b.append("master_repl_offset:").append(offset).append("\r\n");
        b.append("second_repl_offset:-1\r\n");
        b.append("repl_backlog_active:1\r\n");
        b.append("repl_backlog_size:1048576\r\n");
        b.append("repl_backlog_first_byte_offset:").append(Math.max(1, offset - 1048575)).append("\r\n");
        b.append("repl_backlog_histlen:").append(Math.min(offset, 1048576)).append("\r\n");
        return b.toString();
    }

    private static Buffer role(Replication replication) {
        if (replication instanceof Master m) {
            Buffer b = Buffer.buffer("*3\r\n").appendBuffer(bulk("master"))
                    .appendString(":" + m.offset() + "\r\n*" + m.followers().size() + "\r\n");
            for (Follower f : m.followers()) {
                b.appendString("*3\r\n").appendBuffer(bulk(f.ip())).appendBuffer(bulk(Integer.toString(f.port())))
                        .appendBuffer(bulk(Long.toString(f.offset())));
            }
            return b;
        }
        Replica r = (Replica) replication;
        return Buffer.buffer("*5\r\n").appendBuffer(bulk("slave")).appendBuffer(bulk(r.masterHost()))
                .appendString(":" + r.masterPort() + "\r\n").appendBuffer(bulk(r.linkUp() ? "connected" : "connect"))
                .appendString(":" + r.offset() + "\r\n");
    }

    private static Buffer simple(String s) {
        return Buffer.buffer("+" + s + "\r\n");
    }

    private static Buffer error(String s) {
        return Buffer.buffer("-" + s + "\r\n");
    }

    private static Buffer bulk(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer("$" + bytes.length + "\r\n").appendBytes(bytes).appendString("\r\n");
    }
}
