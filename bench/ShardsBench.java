import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Helper for bench/shards.sh: the data plane the three replicas watch.
 *
 * serve <pairs> <portFile> <flipFile>: one TCP listener that accepts and closes (the cheap probe of the bulk targets)
 * and <pairs> fake Redis master/standby pairs answering PING, AUTH and INFO replication. Writes the ports to
 * portFile: the listener's on the first line, then "primary standby" a line per pair. Once flipFile exists, every
 * primary refuses connections (closed) and every standby reports its master link down: a real, confirmed breach of
 * every pair at once, for the replicas to act on (each pair exactly once).
 */
public class ShardsBench {

    public static void main(String[] args) throws Exception {
        if (!"serve".equals(args[0])) {
            throw new IllegalArgumentException("serve <pairs> <portFile> <flipFile>");
        }
        int pairs = Integer.parseInt(args[1]);
        Path portFile = Path.of(args[2]);
        Path flip = Path.of(args[3]);
        ServerSocketChannel tcp = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        List<Pair> all = new ArrayList<>();
        StringBuilder ports = new StringBuilder().append(((InetSocketAddress) tcp.getLocalAddress()).getPort()).append('\n');
        for (int i = 0; i < pairs; i++) {
            Pair p = new Pair(new Node(true), new Node(false));
            all.add(p);
            ports.append(p.primary.port()).append(' ').append(p.standby.port()).append('\n');
        }
        Path tmp = Path.of(portFile + ".tmp");
        Files.writeString(tmp, ports);
        Files.move(tmp, portFile);
        Thread watcher = new Thread(() -> {
            while (!Files.exists(flip)) {
                sleep(50);
            }
            all.forEach(p -> {
                p.primary.down();
                p.standby.down();
            });
            System.out.println("flipped: " + all.size() + " primaries down");
        });
        watcher.setDaemon(true);
        watcher.start();
        acceptAndClose(tcp);
    }

    record Pair(Node primary, Node standby) {}

    /** One fake Redis node: a primary until down (then refuses), or a standby whose master link goes down. */
    static final class Node {
        final boolean primary;
        final ServerSocket server;
        final Set<Socket> open = ConcurrentHashMap.newKeySet();
        volatile boolean down;

        Node(boolean primary) throws IOException {
            this.primary = primary;
            this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept);
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void down() {
            down = true;
            if (primary) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // closing is the point
                }
                open.forEach(s -> {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing is the point
                    }
                });
            }
        }

        void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread t = new Thread(() -> serve(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        void serve(Socket s) {
            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream()) {
                String line;
                while ((line = in.readLine()) != null) {
                    List<String> words = new ArrayList<>();
                    if (line.startsWith("*")) {
                        int n = Integer.parseInt(line.substring(1));
                        for (int i = 0; i < n; i++) {
                            in.readLine(); // $len
                            words.add(in.readLine());
                        }
                    } else {
                        words.addAll(List.of(line.trim().split("\\s+")));
                    }
                    String cmd = words.isEmpty() ? "" : words.get(0).toUpperCase();
                    String reply = switch (cmd) {
                        case "PING" -> "+PONG\r\n";
                        case "INFO" -> bulk(info());
                        default -> "+OK\r\n";
                    };
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the prober went away, or the node went down
            } finally {
                open.remove(s);
            }
        }

        String info() {
            if (primary) {
                return "# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"
                        + "slave0:ip=127.0.0.1,port=1,state=online,offset=1000,lag=0\r\nmaster_repl_offset:1000\r\n";
            }
            return "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:1\r\nmaster_link_status:"
                    + (down ? "down\r\nmaster_link_down_since_seconds:5\r\n" : "up\r\n")
                    + "slave_repl_offset:1000\r\nmaster_repl_offset:1000\r\n";
        }

        static String bulk(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return "$" + b.length + "\r\n" + s + "\r\n";
        }
    }

    static void acceptAndClose(ServerSocketChannel tcp) throws IOException {
        tcp.configureBlocking(false);
        Selector selector = Selector.open();
        tcp.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
            selector.select();
            selector.selectedKeys().clear();
            SocketChannel c;
            while ((c = tcp.accept()) != null) {
                c.close();
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
