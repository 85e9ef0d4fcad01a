package io.switchguard.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one way a cloud call is made: the kinds' clients and SMN publish go through {@link #call}. A call never throws for a cloud or network failure:
 * it returns what became of it ({@link CloudResponse}), so the caller decides what is safe to do next.
 */
@ApplicationScoped
public class CloudClient {

    private final Endpoints endpoints;
    private final CloudHttp http;
    private final CloudAuth auth;
    private final ObjectMapper mapper;

    public CloudClient(Endpoints endpoints, CloudHttp http, CloudAuth auth, ObjectMapper mapper) {
        this.endpoints = endpoints;
        this.http = http;
        this.auth = auth;
        this.mapper = mapper;
    }

    public CloudResponse smnPublish(String region, String projectId, String topicUrn, String subject, String message) {
        var body = mapper.createObjectNode().put("subject", subject).put("message", message);
        return call(Service.SMN, region, SmnApi.PUBLISH.in(projectId, topicUrn).withBody(body.toString()));
    }

    /**
     * One signed call at the service's endpoint in the region. The kinds' clients (io.switchguard.kinds.*) make every
     * call of theirs through here.
     */
    public CloudResponse call(Service service, String region, CloudRequest request) {
        URI uri;
        try {
            uri = URI.create(endpoints.baseUrl(service, region) + "/" + request.path());
        } catch (RuntimeException e) {
            return new CloudResponse.NotSent(service.key() + " client unavailable: " + e.getMessage());
        }
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        // Host is not set here: the signature covers the URI's authority without a default port, and CloudHttp sends
        // exactly that, not what the HTTP client would write.
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.projectId() != null) {
            headers.put("X-Project-Id", request.projectId());
        }
        // The cloud documents Content-Type: application/json on every call, bodiless ones included.
        headers.put("Content-Type", "application/json");
        Map<String, String> signed;
        try {
            signed = auth.authorize(request.method(), uri, headers, body);
        } catch (RuntimeException e) {
            // Nothing has been sent yet: say so, or the caller would have to treat the call as maybe-executed.
            return new CloudResponse.NotSent("could not authenticate the request: " + e.getMessage());
        }
        CloudHttp.Exchange answer;
        try {
            answer = http.send(request.method(), uri, signed, body);
        } catch (CloudHttp.NotSentException e) {
            return new CloudResponse.NotSent(describe(e.getCause()));
        } catch (ExecutionException e) {
            return classify(e.getCause());
        } catch (TimeoutException e) {
            return new CloudResponse.NoAnswer("no whole answer within " + http.answerBound().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CloudResponse.NoAnswer("interrupted while waiting for the answer (stopping)");
        } catch (RuntimeException e) {
            return new CloudResponse.NotSent(describe(e));
        }
        JsonNode json = parse(answer.body());
        CloudError error = answer.status() >= 400 ? CloudError.parse(answer.status(), json, answer.body()) : null;
        return new CloudResponse.Answered(answer.status(), json, answer.body(), answer.headers().get("X-Request-Id"),
                error);
    }

    /** Only a failure to connect proves nothing was sent; anything else after the connect may have reached the cloud. */
    static CloudResponse classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new CloudResponse.NotSent(describe(t));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CloudResponse.NoAnswer(describe(root));
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
    }

    private JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return mapper.missingNode();
        }
        try {
            return mapper.readTree(raw);
        } catch (Exception e) {
            return mapper.missingNode();
        }
    }
}
