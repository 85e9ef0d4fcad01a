package io.switchguard.probe;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * UP when a GET answers 2xx, body included, within the timeout. Redirects are not followed: a health URL that
 * redirects is misconfigured, and a 3xx is not the 2xx asked for. User info in the URL is never sent (nor shown).
 */
public final class HttpProbe implements AsyncProbe {

    private final Net net;
    private final URI url;
    private final Duration timeout;

    public HttpProbe(Net net, URI url, Duration timeout) {
        this.net = Objects.requireNonNull(net, "net");
        this.url = Objects.requireNonNull(url, "url");
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL: " + shown(url));
        }
        this.timeout = Timing.positive(timeout);
    }

    @Override
    public String describe() {
        return "http " + shown(url);
    }

    @Override
    public CompletionStage<ProbeResult> run() {
        long start = System.nanoTime();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = net.timer(timeout, () -> {
            // The bound covers the body too: a response that trickles forever is cut here.
            if (result.complete(ProbeResult.down(Timing.timedOut(timeout), Timing.since(start))) && sent.get() != null) {
                sent.get().reset();
            }
        });
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(shown(url))
                .setFollowRedirects(false).putHeader("User-Agent", "switchguard-probe");
        net.http().request(options).compose(request -> {
            sent.set(request);
            if (result.isDone()) {
                request.reset();
            }
            return request.send();
        }).compose(response -> {
            response.handler(ignored -> { });
            return response.end().map(v -> response.statusCode());
        }).onComplete(answered -> {
            net.cancel(timer);
            if (answered.failed()) {
                result.complete(ProbeResult.down(Net.describe(answered.cause()), Timing.since(start)));
                return;
            }
            int status = answered.result();
            result.complete(status >= 200 && status < 300 ? ProbeResult.up("status " + status, Timing.since(start))
                    : ProbeResult.down("status " + status, Timing.since(start)));
        });
        return result;
    }

    /** The URL without user info: credentials in a URL must not reach logs or /status. */
    private static String shown(URI url) {
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), url.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            return url.getScheme() + "://" + url.getHost();
        }
    }

    @Override
    public String toString() {
        return "HttpProbe[" + shown(url) + ", timeout " + timeout + "]";
    }
}
