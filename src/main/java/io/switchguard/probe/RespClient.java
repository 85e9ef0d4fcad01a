package io.switchguard.probe;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A minimal non-blocking RESP2 client on a Vert.x socket: one command at a time, just what the probes need (AUTH,
 * PING, INFO). It has no timeout of its own: the probe that uses it ends it with a timer. Server error replies are
 * values ({@link Reply.Error}); I/O and protocol failures fail the call, after which the client is done: close it.
 * The client never keeps a password: {@link #auth} sends it and forgets it.
 */
public final class RespClient {

    /** How to speak TLS. Certificates are always checked against the trust given (by default the JVM's). */
    public enum Tls {
        OFF,
        /** TLS with the certificate's name checked against the configured host. The default when TLS is on. */
        VERIFY,
        /** TLS without the host name check (certificate chain still checked): only when explicitly configured. */
        SKIP_HOSTNAME_VERIFICATION
    }

    /** One RESP2 reply. A null bulk string or null array is {@link Nil}. */
    public sealed interface Reply {
        record Simple(String value) implements Reply {}

        record Error(String message) implements Reply {
            /** The error prefix Redis puts first: ERR, WRONGPASS, NOAUTH, NOPERM, LOADING... */
            public String code() {
                int space = message.indexOf(' ');
                return space < 0 ? message : message.substring(0, space);
            }
        }

        record Int(long value) implements Reply {}

        record Bulk(String value) implements Reply {}

        record Array(List<Reply> items) implements Reply {}

        record Nil() implements Reply {}
    }

    /** The server said something that is not RESP2, or more than a probe will read. */
    public static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    // Limits against a confused or hostile peer; INFO replication is a few hundred bytes.
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_BULK = 1024 * 1024;
    private static final int MAX_ARRAY = 1024;
    private static final int MAX_DEPTH = 4;

    private final HostPort address;
    private final NetSocket socket;
    private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private Buffer pending = Buffer.buffer();
    private CompletableFuture<Reply> waiting;

    private RespClient(HostPort address, NetSocket socket) {
        this.address = address;
        this.socket = socket;
        socket.handler(this::received);
        socket.exceptionHandler(this::failed);
        socket.closeHandler(v -> failed(new EOFException("connection closed by the server")));
    }

    /** Connects (and shakes hands, with TLS); {@code trust} null: the JVM's trust store. */
    public static CompletionStage<RespClient> connect(Net net, HostPort address, Tls tls, TrustOptions trust) {
        if (Vertx.currentContext() == null) {
            // Vert.x drops what a socket reads before it has a handler. Connected from a thread of no context, the
            // socket is handed over on its event loop only if the handover below was registered before the
            // connect completed; registered later, it runs as a task queued after the reads already there, and what
            // a server said at once (an HTTP server's error, Redis's "max number of clients") was lost, read as a
            // timeout. Connecting from a task of the event loop registers it first, always.
            CompletableFuture<RespClient> connected = new CompletableFuture<>();
            net.vertx().runOnContext(v -> connect(net, address, tls, trust).whenComplete((c, e) -> {
                if (e != null) {
                    connected.completeExceptionally(e);
                } else {
                    connected.complete(c);
                }
            }));
            return connected;
        }
        var client = net.client(tls, trust);
        var connecting = tls == Tls.OFF ? client.connect(address.port(), address.host())
                // The server name is the configured host: what the certificate's name is checked against.
                : client.connect(address.port(), address.host(), address.host());
        return connecting.map(socket -> new RespClient(address, socket)).toCompletionStage();
    }

    /** AUTH password, or AUTH user password (Redis 6 ACL). A refusal is an {@link Reply.Error}, not a failure. */
    public CompletionStage<Reply> auth(String user, String password) {
        return user == null || user.isEmpty() ? call("AUTH", password) : call("AUTH", user, password);
    }

    public CompletionStage<Reply> ping() {
        return call("PING");
    }

    /** The text of INFO [section]. */
    public CompletionStage<Reply> info(String section) {
        return call("INFO", section);
    }

    /** Sends one command as a RESP array of bulk strings; completes with its reply. */
    public CompletionStage<Reply> call(String... args) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        synchronized (this) {
            if (closed.isDone()) {
                reply.completeExceptionally(closed.join());
                return reply;
            }
            if (waiting != null) {
                reply.completeExceptionally(new IllegalStateException("one command at a time"));
                return reply;
            }
            waiting = reply;
        }
        socket.write(Buffer.buffer(encode(args)));
        // What the server sent before it was asked is read as the answer: a server that is not Redis says so.
        drain();
        return reply;
    }

    /** Completes, with the cause, once the connection is closed or broken, by either side. */
    public CompletionStage<Throwable> closed() {
        return closed;
    }

    public boolean open() {
        return !closed.isDone();
    }

    public void close() {
        failed(new EOFException("closed by the probe"));
        socket.close();
    }

    @Override
    public String toString() {
        return "RespClient[" + address + "]";
    }

    private void received(Buffer data) {
        synchronized (this) {
            pending.appendBuffer(data);
            if (pending.length() > MAX_BULK + MAX_LINE) {
                failedLocked(new ProtocolException("more than " + (MAX_BULK + MAX_LINE) + " bytes unanswered"));
                return;
            }
        }
        drain();
    }

    private void drain() {
        CompletableFuture<Reply> done;
        Reply reply;
        synchronized (this) {
            if (waiting == null || pending.length() == 0) {
                return;
            }
            try {
                Parser parser = new Parser(pending.getBytes());
                reply = parser.read(0);
                if (reply == null) {
                    return;
                }
                pending = pending.getBuffer(parser.position, pending.length());
            } catch (ProtocolException e) {
                failedLocked(e);
                return;
            }
            done = waiting;
            waiting = null;
        }
        done.complete(reply);
    }

    private void failed(Throwable cause) {
        synchronized (this) {
            failedLocked(cause);
        }
    }

    private void failedLocked(Throwable cause) {
        if (closed.complete(cause)) {
            socket.close();
        }
        if (waiting != null) {
            waiting.completeExceptionally(cause);
            waiting = null;
        }
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] value = arg.getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bytes.writeBytes(value);
            bytes.writeBytes(new byte[] {'\r', '\n'});
        }
        return bytes.toByteArray();
    }

    /** Reads one reply from what has arrived so far; null when it is not complete yet. */
    private static final class Parser {
        private final byte[] in;
        private int position;

        Parser(byte[] in) {
            this.in = in;
        }

        Reply read(int depth) throws ProtocolException {
            if (position >= in.length) {
                return null;
            }
            int type = in[position++] & 0xff;
            String line = line();
            if (line == null) {
                return null;
            }
            switch (type) {
                case '+':
                    return new Reply.Simple(line);
                case '-':
                    return new Reply.Error(line);
                case ':':
                    return new Reply.Int(number(line));
                case '$': {
                    long length = number(line);
                    if (length == -1) {
                        return new Reply.Nil();
                    }
                    if (length < 0 || length > MAX_BULK) {
                        throw new ProtocolException("bulk string length " + length + " out of range");
                    }
                    if (in.length - position < length + 2) {
                        return null;
                    }
                    String value = new String(in, position, (int) length, StandardCharsets.UTF_8);
                    position += (int) length;
                    if (in[position++] != '\r' || in[position++] != '\n') {
                        throw new ProtocolException("bulk string not terminated by CRLF");
                    }
                    return new Reply.Bulk(value);
                }
                case '*': {
                    long count = number(line);
                    if (count == -1) {
                        return new Reply.Nil();
                    }
                    if (count < 0 || count > MAX_ARRAY || depth >= MAX_DEPTH) {
                        throw new ProtocolException("array of " + count + " at depth " + depth + " out of range");
                    }
                    List<Reply> items = new ArrayList<>((int) count);
                    for (int i = 0; i < count; i++) {
                        Reply item = read(depth + 1);
                        if (item == null) {
                            return null;
                        }
                        items.add(item);
                    }
                    return new Reply.Array(List.copyOf(items));
                }
                default:
                    // Only the type byte is shown: the rest could be anything, even our own command echoed back.
                    throw new ProtocolException(String.format("unexpected reply type byte 0x%02x", type));
            }
        }

        private String line() throws ProtocolException {
            int start = position;
            for (int i = start; i < in.length; i++) {
                if (in[i] == '\r') {
                    if (i + 1 >= in.length) {
                        return null;
                    }
                    if (in[i + 1] != '\n') {
                        throw new ProtocolException("CR not followed by LF");
                    }
                    position = i + 2;
                    return new String(in, start, i - start, StandardCharsets.UTF_8);
                }
                if (i - start >= MAX_LINE) {
                    throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
                }
            }
            if (in.length - start > MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            return null;
        }

        private static long number(String line) throws ProtocolException {
            try {
                return Long.parseLong(line);
            } catch (NumberFormatException e) {
                throw new ProtocolException("expected a number, got " + line.length() + " other characters");
            }
        }
    }
}
