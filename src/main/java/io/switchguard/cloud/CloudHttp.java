package io.switchguard.cloud;

import io.switchguard.config.SwitchguardConfig;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cloud's HTTP, one Vert.x client on the application's event loops for every endpoint (HTTPS verified against
 * the JDK's trust store). Its callers block: the kinds' drivers, the checker's readers and the outbox sender all run
 * on worker threads. It replaced the REST client, whose own layers (filters, URI templates, a CDI lookup per call,
 * context propagation) were some 13 % of the sampled CPU of the swap bench (issue #11 item 9).
 */
@ApplicationScoped
public class CloudHttp {

    /** What came back: the status, the headers, the body as text. */
    record Exchange(int status, MultiMap headers, String body) {
    }

    /** The call failed before it had a connection to write to: the cloud cannot have seen it. */
    static final class NotSentException extends Exception {
        NotSentException(Throwable cause) {
            super(cause);
        }
    }

    private final HttpClient client;
    /**
     * Event-loop contexts the calls run on, in turn. A call begun on the caller's own context (a worker serving an
     * HTTP request has one) has its callbacks sent to that context, whose thread is the one blocked waiting here:
     * such calls stalled until their timeout (SwitchoverFunctionsTest#swapsOneAfterTheOtherAreEachVerified).
     */
    private final ContextInternal[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final long readTimeoutMs;
    private final long connectTimeoutMs;

    public CloudHttp(Vertx vertx, SwitchguardConfig config) {
        VertxInternal internal = (VertxInternal) vertx;
        this.loops = new ContextInternal[Math.max(1, Runtime.getRuntime().availableProcessors())];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = internal.createEventLoopContext();
        }
        this.connectTimeoutMs = config.cloud().connectTimeout().toMillis();
        this.readTimeoutMs = config.cloud().readTimeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                // As many connections per endpoint as the REST client kept: concurrent switchovers in one region
                // must not queue behind each other for a connection.
                .setMaxPoolSize(50)
                .setVerifyHost(true)
                .setName("switchguard-cloud"));
    }

    /**
     * Sends one request and waits for the whole answer; Host is the given one, else the URI's authority without a
     * default port. Redirects are answers, not followed. The read timeout bounds each silence of the server; the wait
     * as a whole is bounded too, so a body that trickles in never holds a worker for long.
     *
     * @throws NotSentException when no connection was had (refused, connect timeout, no free connection in time)
     * @throws ExecutionException when the connection failed after the request may have been written
     * @throws TimeoutException when no whole answer came in time (the request is then reset)
     */
    Exchange send(String method, URI uri, Map<String, String> headers, byte[] body)
            throws NotSentException, ExecutionException, TimeoutException, InterruptedException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a cloud call blocks and may not be made on an event loop");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(method))
                .setHost(hostOnly(uri))
                .setPort(port)
                .setSsl(https)
                .setURI(pathAndQuery)
                .setFollowRedirects(false)
                // Bounds the wait for a pooled connection (the TCP connect included) within the caller's own wait: a
                // call queued behind busy connections was written whenever one freed up, seconds after its caller had
                // given up on it as unanswered (CloudHttpTest). Now it fails unsent before that, and is never written.
                // A read-timeout more than the connect: a busy pool still serves the status reads it queued.
                .setConnectTimeout(connectTimeoutMs + readTimeoutMs)
                .setIdleTimeout(readTimeoutMs);
        headers.forEach(options::putHeader);
        if (headers.keySet().stream().noneMatch("Host"::equalsIgnoreCase)) {
            options.putHeader("Host", AkSkSigner.hostOf(uri)); // what a signature covers (no default port)
        }
        options.putHeader("User-Agent", "switchguard");
        CompletableFuture<Exchange> answer = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)].runOnContext(v -> client.request(options)
                .compose(request -> {
                    sent.set(request);
                    return request.send(Buffer.buffer(body));
                })
                .compose(response -> response.body().map(b -> exchange(response, b)))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        answer.complete(result.result());
                    } else {
                        answer.completeExceptionally(result.cause());
                    }
                }));
        try {
            return answer.get(answerBound().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (sent.get() == null) {
                throw new NotSentException(e.getCause());
            }
            throw e;
        } catch (TimeoutException | InterruptedException e) {
            HttpClientRequest request = sent.get();
            if (request != null) {
                request.reset(); // give the connection up: its answer would come to nobody
            }
            throw e;
        }
    }

    /** The longest a call waits for its whole answer: a connect, then two read timeouts' worth of trickling. */
    Duration answerBound() {
        return Duration.ofMillis(connectTimeoutMs + 2 * readTimeoutMs);
    }

    /** The URI's host, an IPv6 literal without its brackets (the client takes the bare address). */
    private static String hostOnly(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Exchange exchange(HttpClientResponse response, Buffer body) {
        return new Exchange(response.statusCode(), response.headers(), body.toString());
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
