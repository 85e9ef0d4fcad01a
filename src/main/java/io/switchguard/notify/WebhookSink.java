package io.switchguard.notify;

import io.switchguard.store.OutboxEntry;
import java.net.URI;
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
 * POSTs each event in CloudEvents structured mode. 2xx is delivered; any other status, a redirect, a refused
 * connection or no complete answer within the read timeout is a failed attempt (retried by the sender).
 */
public final class WebhookSink implements Sink {

    private final URI url;
    private final String secret;
    private final Duration readTimeout;
    private final HttpClient client;

    /** @param secret null: unsigned */
    public WebhookSink(URI url, String secret, Duration connectTimeout, Duration readTimeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.secret = secret;
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.client = HttpClient.newBuilder()
                // HTTP/1.1 only: no h2c upgrade dance with simple receivers.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return WEBHOOK;
    }

    @Override
    public Result deliver(OutboxEntry entry) {
        byte[] body = CloudEventJson.serialize(entry);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Content-Type", CloudEventJson.CONTENT_TYPE)
                .header("User-Agent", "switchguard")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header(WebhookSignature.HEADER, WebhookSignature.sign(secret, body));
        }
        // The request timeout covers the wait for the headers only; the overall bound also covers a body that
        // trickles in forever.
        CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.discarding());
        try {
            int status = call.get(readTimeout.toMillis() + 500, TimeUnit.MILLISECONDS).statusCode();
            return status >= 200 && status < 300 ? Result.delivered("HTTP " + status) : Result.failed("HTTP " + status);
        } catch (TimeoutException e) {
            call.cancel(true);
            return Result.failed("no answer within " + readTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Result.failed(cause instanceof java.net.http.HttpTimeoutException
                    ? "no answer within " + readTimeout.toMillis() + " ms"
                    : cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : ""));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Result.failed("interrupted (stopping)");
        }
    }
}
