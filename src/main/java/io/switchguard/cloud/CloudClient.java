package io.switchguard.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.util.function.Function;

/**
 * The one way a cloud call is made: the kinds' clients and SMN publish go through {@link #call}. A call never throws for a cloud or network failure:
 * it returns what became of it ({@link CloudResponse}), so the caller decides what is safe to do next.
 */
@ApplicationScoped
public class CloudClient {

    private final Endpoints endpoints;
    private final RestClients clients;
    private final ObjectMapper mapper;

    public CloudClient(Endpoints endpoints, RestClients clients, ObjectMapper mapper) {
        this.endpoints = endpoints;
        this.clients = clients;
        this.mapper = mapper;
    }

    public CloudResponse smnPublish(String region, String projectId, String topicUrn, String subject, String message) {
        var body = mapper.createObjectNode().put("subject", subject).put("message", message);
        return call(Service.SMN, region, SmnApi.class, api -> api.publish(projectId, topicUrn, projectId, body.toString()));
    }

    /**
     * One signed call of {@code api} (a REST interface, e.g. a kind slice's) at the service's endpoint in the region.
     * The kinds' clients (io.switchguard.kinds.*) make every call of theirs through here.
     */
    public <T> CloudResponse call(Service service, String region, Class<T> api, Function<T, Response> request) {
        T client;
        try {
            client = clients.signed(api, endpoints.baseUrl(service, region));
        } catch (RuntimeException e) {
            return new CloudResponse.NotSent(service.key() + " client unavailable: " + e.getMessage());
        }
        try (Response response = request.apply(client)) {
            String raw = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode json = parse(raw);
            int status = response.getStatus();
            CloudError error = status >= 400 ? CloudError.parse(status, json, raw) : null;
            return new CloudResponse.Answered(status, json, raw, response.getHeaderString("X-Request-Id"), error);
        } catch (RuntimeException e) {
            return classify(e);
        }
    }

    /** Only a failure to connect or to sign proves nothing was sent; anything else after the connect may have reached the cloud. */
    static CloudResponse classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new CloudResponse.NotSent(describe(t));
            }
            if (t instanceof NotSignedException) {
                return new CloudResponse.NotSent(t.getMessage());
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
