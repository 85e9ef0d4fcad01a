package io.switchguard.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.util.NetUtil;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.TrustOptions;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The probes' network: one Vert.x instance (the one Quarkus runs), Netty's bootstrap on its event loops for the
 * connect-only probe, one plain TCP client and one per TLS setting for Redis, and one HTTP client, shared by every
 * probe. Everything is non-blocking: a probe is a connect, a few writes
 * and reads on an event loop and a timer that ends it at its timeout, so a dead target costs a timer, not a thread.
 */
public final class Net {

    /** A TCP client per TLS setting: Vert.x 4 fixes trust and the host name check per client, not per connection. */
    private record TlsSetting(RespClient.Tls tls, TrustOptions trust) {}

    private final Vertx vertx;
    private final Bootstrap connects;
    private final NetClient plain;
    private final HttpClient http;
    private final Map<TlsSetting, NetClient> tls = new ConcurrentHashMap<>();

    public Net(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        VertxInternal internal = (VertxInternal) vertx;
        this.connects = new Bootstrap().group(internal.getEventLoopGroup())
                .channelFactory(internal.transport().channelFactory(false))
                .resolver(internal.nettyAddressResolverGroup()).option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.TCP_NODELAY, true)
                // No connect timeout of its own: the probe's timer closes a connect still pending, and a second
                // timer a connect was a scheduled task more, added and cancelled, for every probe.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0).handler(IGNORED);
        this.plain = vertx.createNetClient(probeOptions());
        // A fresh connection per probe, as with Redis: a kept one would keep reporting on the node it first reached.
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(60_000)
                .setMaxPoolSize(1024).setVerifyHost(true));
    }

    /**
     * A probe's connection ends with a reset (SO_LINGER 0), as HAProxy's health checks end theirs: closed with a FIN,
     * every probe left a socket in TIME_WAIT on this host for a minute, and at 10,000 targets a second the kernel's
     * table filled and connect() slowed until the event loops missed most intervals. Every probe bounds itself with
     * its own timer; the client's connect timeout is only a backstop.
     */
    private static NetClientOptions probeOptions() {
        return new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(60_000).setSoLinger(0);
    }

    /** What a connect-only probe's connection says is never read: it is closed as soon as it is open. */
    @ChannelHandler.Sharable
    private static final class Ignored extends ChannelInboundHandlerAdapter {}

    private static final ChannelHandler IGNORED = new Ignored();

    /**
     * A plain TCP connection, as a connect-only probe makes it: Netty's own bootstrap on the Vert.x event loops and
     * name resolver, with the probe options above. Through Vert.x's client, each connect also built a Vert.x
     * socket, its options and handlers: most of what a TCP probe allocated, at 10,000 targets a second the
     * checker's largest share. An IP literal is not sent through the resolver at all.
     */
    ChannelFuture connect(HostPort address) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(address.host());
        return connects.connect(literal != null ? new InetSocketAddress(literal, address.port())
                : InetSocketAddress.createUnresolved(address.host(), address.port()));
    }

    Vertx vertx() {
        return vertx;
    }

    HttpClient http() {
        return http;
    }

    /** The client for a TLS setting; {@code trust} null means the JVM's trust store. */
    NetClient client(RespClient.Tls setting, TrustOptions trust) {
        if (setting == RespClient.Tls.OFF) {
            return plain;
        }
        return tls.computeIfAbsent(new TlsSetting(setting, trust), s -> {
            NetClientOptions options = probeOptions().setSsl(true)
                    // Without the algorithm the chain is checked but not the name: any trusted certificate would do.
                    .setHostnameVerificationAlgorithm(s.tls() == RespClient.Tls.VERIFY ? "HTTPS" : "");
            if (s.trust() != null) {
                options.setTrustOptions(s.trust());
            }
            return vertx.createNetClient(options);
        });
    }

    /** Runs {@code action} once after {@code delay}; the id cancels it. */
    long timer(Duration delay, Runnable action) {
        return vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run());
    }

    void cancel(long timer) {
        vertx.cancelTimer(timer);
    }

    /**
     * One phrase for an I/O failure: "connection refused", "timed out after 2000 ms". Exception messages of
     * socket classes carry addresses, never payload, so they are safe to show.
     */
    static String describe(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof DecoderException || e.getClass().getName().startsWith("java.util.concurrent.Completion"))
                && e.getCause() != null) {
            e = e.getCause();
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
            // Netty wraps the handshake's own words ("No subject alternative names matching ...") in its own.
            Throwable inner = e;
            while (inner.getCause() != null && inner.getCause() != inner) {
                inner = inner.getCause();
            }
            return "TLS failed: " + (inner.getMessage() != null ? inner.getMessage() : e.getMessage());
        }
        if (e instanceof RespClient.ProtocolException) {
            return "protocol error: " + e.getMessage();
        }
        if (e instanceof TimeoutException) {
            return "timed out";
        }
        String message = e.getMessage();
        if (message != null && message.toLowerCase().contains("connection reset")) {
            return "connection reset by the server";
        }
        if (e.getClass().getName().endsWith("VertxException") && "Connection was closed".equals(message)) {
            return "connection closed by the server";
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
