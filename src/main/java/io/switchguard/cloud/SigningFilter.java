package io.switchguard.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs every request of a cloud client. The REST client does not expose the entity stream, so the body is
 * serialized here, hashed, and set back as those exact bytes (reference: quarkus-notes, REST client).
 */
final class SigningFilter implements ClientRequestFilter {

    private final CloudAuth auth;
    private final ObjectMapper mapper;

    SigningFilter(CloudAuth auth, ObjectMapper mapper) {
        this.auth = auth;
        this.mapper = mapper;
    }

    @Override
    public void filter(ClientRequestContext ctx) throws IOException {
        byte[] body = new byte[0];
        if (ctx.hasEntity()) {
            Object entity = ctx.getEntity();
            body = entity instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : mapper.writeValueAsBytes(entity);
            ctx.setEntity(body, ctx.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
        }
        // The cloud documents Content-Type: application/json on every call, bodiless ones included.
        ctx.getHeaders().putSingle("Content-Type", MediaType.APPLICATION_JSON);
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.getStringHeaders().forEach((name, values) -> {
            if (!values.isEmpty() && values.get(0) != null) {
                headers.put(name, values.get(0));
            }
        });
        Map<String, String> signed;
        try {
            signed = auth.authorize(ctx.getMethod(), ctx.getUri(), headers, body);
        } catch (RuntimeException e) {
            // Nothing has been sent yet: say so, or the caller would have to treat the call as maybe-executed.
            throw new NotSignedException("could not authenticate the request: " + e.getMessage(), e);
        }
        signed.forEach(ctx.getHeaders()::putSingle);
    }
}
