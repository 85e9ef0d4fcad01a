package io.switchguard.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchguard.config.SwitchguardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Project-scoped IAM tokens from password authentication, the alternative to AK/SK (DRS documents X-Auth-Token).
 * A token lives 24 h; it is renewed once half of that has passed, so a revoked or soon-expiring token
 * never reaches a switchover call.
 */
@ApplicationScoped
public class IamTokens {

    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofHours(12);

    private record Token(String value, Instant expiresAt) {}

    private final SwitchguardConfig config;
    private final Endpoints endpoints;
    private final CloudHttp http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Map<String, Token> byProject = new ConcurrentHashMap<>();

    public IamTokens(SwitchguardConfig config, Endpoints endpoints, CloudHttp http, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.endpoints = endpoints;
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
    }

    public boolean configured() {
        SwitchguardConfig.Iam iam = config.cloud().iam();
        return iam.user().isPresent() && iam.password().isPresent() && iam.domain().isPresent();
    }

    /** A valid token for the project; requestUri tells the region when IAM is regional (OTC). */
    String token(String projectId, URI requestUri) {
        if (!configured()) {
            throw new IllegalStateException("no cloud credentials: set switchguard.cloud.ak/sk or switchguard.cloud.iam.*");
        }
        Instant now = clock.instant();
        Token cached = byProject.get(projectId);
        if (cached != null && now.isBefore(cached.expiresAt().minus(RENEW_BEFORE_EXPIRY))) {
            return cached.value();
        }
        synchronized (this) {
            cached = byProject.get(projectId);
            if (cached != null && now.isBefore(cached.expiresAt().minus(RENEW_BEFORE_EXPIRY))) {
                return cached.value();
            }
            Token fresh = fetch(projectId, regionOf(requestUri));
            byProject.put(projectId, fresh);
            return fresh.value();
        }
    }

    private Token fetch(String projectId, String region) {
        SwitchguardConfig.Iam iam = config.cloud().iam();
        ObjectNode body = mapper.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", iam.user().get());
        user.put("password", iam.password().get());
        user.putObject("domain").put("name", iam.domain().get());
        auth.putObject("scope").putObject("project").put("id", projectId);
        URI uri = URI.create(endpoints.iam(region) + "/" + IamApi.TOKEN.path());
        CloudHttp.Exchange response;
        try {
            response = http.send(IamApi.TOKEN.method(), uri, Map.of("Content-Type", "application/json"),
                    body.toString().getBytes(StandardCharsets.UTF_8));
        } catch (CloudHttp.NotSentException | ExecutionException e) {
            throw new IllegalStateException("IAM token request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("IAM token request failed: no answer within "
                    + http.answerBound().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("IAM token request interrupted", e);
        }
        String token = response.headers().get("X-Subject-Token");
        if (response.status() != 201 || token == null) {
            CloudError error = CloudError.parse(response.status(), readTree(response.body()), response.body());
            throw new IllegalStateException("IAM token request failed: " + error.message());
        }
        JsonNode json = readTree(response.body());
        Instant expires = json.path("token").hasNonNull("expires_at")
                ? Instant.parse(json.path("token").path("expires_at").asText())
                : clock.instant().plus(Duration.ofHours(24));
        return new Token(token, expires);
    }

    /** service.REGION.domain: the second label of a cloud host names its region. */
    static String regionOf(URI uri) {
        String[] labels = uri.getHost() == null ? new String[0] : uri.getHost().split("\\.");
        return labels.length > 2 ? labels[1] : null;
    }

    private JsonNode readTree(String raw) {
        try {
            return raw == null || raw.isBlank() ? mapper.missingNode() : mapper.readTree(raw);
        } catch (Exception e) {
            return mapper.missingNode();
        }
    }
}
