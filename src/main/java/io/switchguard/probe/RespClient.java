package io.switchguard.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RESP2 client: one socket, one command at a time, just what the probes need (AUTH, PING, INFO).
 *
 * <p>Everything a client does, from name lookup to its last reply, fits in the timeout given to {@link #connect}:
 * each read waits only for what is left of it, so a server that trickles one byte at a time cannot stretch a
 * probe, and a watchdog closes the socket at the deadline for the steps a read timeout does not cover (TLS
 * handshake, writes). Server error replies are values ({@link Reply.Error}); I/O and protocol failures are
 * {@link IOException}s, after which the client is done: close it. The client never keeps a password: {@link #auth}
 * sends it and forgets it. Not thread-safe: one probe, one client.
 */
public final class RespClient implements AutoCloseable {

    /** How to speak TLS. Certificates are always checked against the JVM's trust store. */
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
    private final Tls tls;
    private final Deadline deadline;
    private final Socket raw;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ScheduledFuture<?> watchdog;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    private RespClient(HostPort address, Tls tls, Deadline deadline, Socket raw, Socket socket, ScheduledFuture<?> watchdog)
            throws IOException {
        this.address = address;
        this.tls = tls;
        this.deadline = deadline;
        this.raw = raw;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.watchdog = watchdog;
    }

    /** Connects (and shakes hands, with TLS); {@code timeout} bounds this client's whole life. */
    public static RespClient connect(HostPort address, Tls tls, Duration timeout) throws IOException {
        return connect(address, tls, timeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** With a given TLS socket factory: its trust material decides which certificates are accepted. */
    public static RespClient connect(HostPort address, Tls tls, Duration timeout, SSLSocketFactory tlsFactory)
            throws IOException {
        Deadline deadline = Deadline.after(timeout);
        Socket raw = Net.connect(address, deadline);
        ScheduledFuture<?> watchdog = Net.closeAt(deadline, raw);
        try {
            Socket socket = raw;
            if (tls != Tls.OFF) {
                SSLSocket ssl = (SSLSocket) tlsFactory.createSocket(raw, address.host(), address.port(), true);
                SSLParameters parameters = ssl.getSSLParameters();
                // SSLSocket checks the chain but not the name unless told to: without this, any trusted certificate
                // for any host would do.
                parameters.setEndpointIdentificationAlgorithm(tls == Tls.VERIFY ? "HTTPS" : null);
                ssl.setSSLParameters(parameters);
                ssl.setSoTimeout(deadline.remainingMillis());
                ssl.startHandshake();
                socket = ssl;
            }
            return new RespClient(address, tls, deadline, raw, socket, watchdog);
        } catch (IOException | RuntimeException e) {
            watchdog.cancel(false);
            Net.closeQuietly(raw);
            if (deadline.passed()) {
                throw deadline.timeout();
            }
            throw e;
        }
    }

    /** AUTH password, or AUTH user password (Redis 6 ACL). A refusal is an {@link Reply.Error}, not an exception. */
    public Reply auth(String user, String password) throws IOException {
        return user == null || user.isEmpty() ? call("AUTH", password) : call("AUTH", user, password);
    }

    public Reply ping() throws IOException {
        return call("PING");
    }

    /** The text of INFO [section]. */
    public Reply info(String section) throws IOException {
        return call("INFO", section);
    }

    /** Sends one command as a RESP array of bulk strings and reads its reply. */
    public Reply call(String... args) throws IOException {
        try {
            out.write(encode(args));
            out.flush();
            return read(0);
        } catch (IOException e) {
            // A read cut short by the watchdog, or by the read timeout, is the same thing: the time is up.
            throw deadline.passed() ? deadline.timeout() : e;
        }
    }

    @Override
    public void close() {
        watchdog.cancel(false);
        Net.closeQuietly(socket);
        Net.closeQuietly(raw);
    }

    @Override
    public String toString() {
        return "RespClient[" + address + (tls == Tls.OFF ? "" : ", tls " + tls.name().toLowerCase()) + "]";
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

    private Reply read(int depth) throws IOException {
        int type = readByte();
        String line = readLine();
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
                byte[] value = readExactly((int) length);
                if (readByte() != '\r' || readByte() != '\n') {
                    throw new ProtocolException("bulk string not terminated by CRLF");
                }
                return new Reply.Bulk(new String(value, StandardCharsets.UTF_8));
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
                    items.add(read(depth + 1));
                }
                return new Reply.Array(List.copyOf(items));
            }
            default:
                // Only the type byte is shown: the rest could be anything, even our own command echoed back.
                throw new ProtocolException(String.format("unexpected reply type byte 0x%02x", type));
        }
    }

    private static long number(String line) throws ProtocolException {
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new ProtocolException("expected a number, got " + line.length() + " other characters");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new ProtocolException("CR not followed by LF");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] value = new byte[length];
        int filled = 0;
        while (filled < length) {
            if (position == limit) {
                fill();
            }
            int n = Math.min(length - filled, limit - position);
            System.arraycopy(buffer, position, value, filled, n);
            position += n;
            filled += n;
        }
        return value;
    }

    private int readByte() throws IOException {
        if (position == limit) {
            fill();
        }
        return buffer[position++] & 0xff;
    }

    private void fill() throws IOException {
        // Each read may wait only for what is left of the deadline, however little the last read brought.
        socket.setSoTimeout(deadline.remainingMillis());
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        position = 0;
        limit = n;
    }
}
