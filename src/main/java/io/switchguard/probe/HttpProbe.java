package io.switchguard.probe;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * UP when a GET answers 2xx, body included, within the timeout. Redirects are not followed: a health URL that
 * redirects is misconfigured, and a 3xx is not the 2xx asked for.
 */
public final class HttpProbe implements Probe {

    /** One client for every HTTP probe: it owns a selector thread and a connection pool, not worth one per target. */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            // HTTP/1.1: no h2c upgrade dance with plain-http health endpoints; https still negotiates what it likes.
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final URI url;
    private final Duration timeout;

    public HttpProbe(URI url, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL: " + shown(url));
        }
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        Deadline.after(timeout);
    }

    @Override
    public String describe() {
        return "http " + shown(url);
    }

    @Override
    public ProbeResult probe() {
        Deadline deadline = Deadline.after(timeout);
        CompletableFuture<HttpResponse<Void>> response = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(timeout).header("User-Agent", "switchguard-probe").build();
            response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            // The request timeout stops at the headers; this wait bounds the body too.
            int status = response.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS).statusCode();
            return status >= 200 && status < 300
                    ? ProbeResult.up("status " + status, deadline.elapsed())
                    : ProbeResult.down("status " + status, deadline.elapsed());
        } catch (TimeoutException e) {
            response.cancel(true);
            return ProbeResult.down(Net.describe(e, deadline), deadline.elapsed());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause.getCause() != null && !(cause instanceof java.io.IOException)) {
                cause = cause.getCause();
            }
            return ProbeResult.down(Net.describe(cause, deadline), deadline.elapsed());
        } catch (InterruptedException e) {
            if (response != null) {
                response.cancel(true);
            }
            Thread.currentThread().interrupt();
            return ProbeResult.down("interrupted", deadline.elapsed());
        } catch (RuntimeException e) {
            return ProbeResult.down("probe failed: " + e, deadline.elapsed());
        }
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
