package io.switchguard.http;

import io.switchguard.config.SwitchguardConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs before every route: the body-size limit and the bearer API key. Only /q/health is open
 * (CONTRACT §4). Registered on the router so it covers Funqy's routes, which have no filter API of their own.
 */
@ApplicationScoped
public class HttpGuards {

    static final long MAX_BODY = 1024 * 1024;
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final ErrorResponses errors;
    private final boolean faas;

    public HttpGuards(ApiKeys keys, ErrorResponses errors, SwitchguardConfig config) {
        this.keys = keys;
        this.errors = errors;
        this.faas = config.faas().enabled();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(errors::handleFailure);
        router.route().order(Integer.MIN_VALUE + 1).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals("/q/health") || path.startsWith("/q/health/")) {
            ctx.next();
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            errors.write(ctx, 400, "SG.4001", "request body over 1 MiB", null);
            return;
        }
        // Issue 7, CONTRACT §7: FunctionGraph calls its event entry points without our key. Open only in FaaS
        // mode (switched on by the bundle and the image), only these two exact paths; the body limit still applies.
        if (faas && (path.equals("/init") || path.equals("/invoke"))) {
            ctx.next();
            return;
        }
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String key = auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? auth.substring(BEARER.length()).trim() : null;
        if (!keys.accepts(key)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            errors.write(ctx, 401, "SG.4010", key == null ? "missing API key: send Authorization: Bearer <key>"
                    : "invalid API key", null);
            return;
        }
        ctx.next();
    }

    private static boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_BODY;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
