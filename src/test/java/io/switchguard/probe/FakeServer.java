package io.switchguard.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ServerSocketFactory;

/** A loopback server that plays a scripted part: silent, trickling, garbage, or a canned Redis. */
final class FakeServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    interface Part {
        void play(Socket socket) throws Exception;
    }

    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private FakeServer(ServerSocket listener, Part part) {
        this.listener = listener;
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    accepted.add(s);
                    Thread t = new Thread(() -> {
                        try {
                            part.play(s);
                        } catch (Exception ignored) {
                            // The client went away or the test closed us.
                        }
                    }, "fake-server-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeServer start(Part part) throws IOException {
        return start(ServerSocketFactory.getDefault(), part);
    }

    static FakeServer start(ServerSocketFactory factory, Part part) throws IOException {
        return new FakeServer(factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress()), part);
    }

    HostPort address() {
        return new HostPort("127.0.0.1", listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    /** Reads and keeps reading, never says a word. */
    static Part silent() {
        return s -> {
            InputStream in = s.getInputStream();
            byte[] sink = new byte[1024];
            while (in.read(sink) >= 0) {
                // stay silent
            }
        };
    }

    /** Answers each command through {@code reply}: a RESP command in, raw bytes out. */
    static Part redis(java.util.function.Function<List<String>, String> reply) {
        return s -> {
            InputStream in = s.getInputStream();
            while (true) {
                List<String> command = readCommand(in);
                if (command == null) {
                    return;
                }
                s.getOutputStream().write(reply.apply(command).getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
            }
        };
    }

    /** AUTH is OK, INFO gets {@code info} as a bulk string. */
    static Part info(String info) {
        return redis(command -> command.get(0).equalsIgnoreCase("INFO") ? bulk(info) : "+OK\r\n");
    }

    static String bulk(String text) {
        return "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
    }

    /** A RESP array of bulk strings, as the client sends them; null at end of stream. */
    static List<String> readCommand(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = Integer.parseInt(line(in).substring(1));
            byte[] value = in.readNBytes(length + 2);
            args.add(new String(value, 0, length, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8).stripTrailing();
            }
            line.write(b);
        }
        return null;
    }
}
