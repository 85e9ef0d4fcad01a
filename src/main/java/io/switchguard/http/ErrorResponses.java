package io.switchguard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Every non-2xx answer: the result fields when there is a result, plus error_code and error_msg. */
@ApplicationScoped
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    private final ObjectMapper mapper;

    public ErrorResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void handleFailure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            return;
        }
        ApiException api = find(ctx.failure());
        if (api != null) {
            write(ctx, api.status(), api.errorCode(), api.getMessage(), api.body());
            return;
        }
        switch (ctx.statusCode()) {
            // Funqy fails with 400 when the body is not JSON or does not fit the input type.
            case 400 -> write(ctx, 400, "SG.4000", "the body is not a JSON object of the expected shape", null);
            case 413 -> write(ctx, 400, "SG.4001", "request body over 1 MiB", null);
            case 404 -> write(ctx, 404, "SG.4041", "no such function: " + ctx.normalizedPath(), null);
            case 405 -> write(ctx, 405, "SG.4050", "method not allowed", null);
            default -> {
                LOG.error("unhandled failure on " + ctx.normalizedPath(), ctx.failure());
                write(ctx, 500, "SG.5000", "internal error; see the service log", null);
            }
        }
    }

    public void write(RoutingContext ctx, int status, String code, String message, Object result) {
        ObjectNode body = result != null ? mapper.valueToTree(result) : mapper.createObjectNode();
        // A 202 travels this way too, and a 2xx carries no error.
        if (code != null || status >= 300) {
            body.put("error_code", code);
            body.put("error_msg", message);
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toString());
    }

    private static ApiException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }
}
