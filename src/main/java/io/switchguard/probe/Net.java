package io.switchguard.probe;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Socket plumbing shared by the probes: resolve and connect within a deadline, and say what went wrong in words. */
final class Net {

    /** Name lookup has no timeout of its own in Java: it runs here so that the probe can stop waiting for it. */
    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(daemon("switchguard-probe-dns"));

    /** Closes a socket when its deadline passes: the backstop for blocking steps a socket timeout does not cover (TLS handshake, writes). */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private Net() {}

    static InetSocketAddress resolve(HostPort address, Deadline deadline) throws IOException {
        Future<InetAddress> lookup = RESOLVER.submit(() -> InetAddress.getByName(address.host()));
        try {
            return new InetSocketAddress(lookup.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS), address.port());
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new SocketTimeoutException("timed out resolving " + address.host());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw new IOException("cannot resolve " + address.host(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** A connected plain socket; the caller owns (and closes) it. */
    static Socket connect(HostPort address, Deadline deadline) throws IOException {
        InetSocketAddress target = resolve(address, deadline);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(target, deadline.remainingMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    static ScheduledFuture<?> closeAt(Deadline deadline, Socket socket) {
        return WATCHDOG.schedule(() -> closeQuietly(socket), Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Nothing to do about a failing close of a probe's own socket.
        }
    }

    /**
     * One phrase for an I/O failure: "connection refused", "timed out after 2000 ms". Exception messages of
     * socket classes carry addresses, never payload, so they are safe to show.
     */
    static String describe(Throwable e, Deadline deadline) {
        if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException || e instanceof TimeoutException
                || deadline.passed()) {
            String connect = e instanceof HttpConnectTimeoutException
                    || (e.getMessage() != null && e.getMessage().toLowerCase().contains("connect timed out")) ? " connecting" : "";
            return "timed out" + connect + " after " + deadline.budget().toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof EOFException) {
            return "connection closed by the server";
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + e.getMessage();
        }
        if (e instanceof RespClient.ProtocolException) {
            return "protocol error: " + e.getMessage();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("switchguard-probe-watchdog"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
