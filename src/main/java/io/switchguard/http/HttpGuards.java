package io.switchguard.http;

import io.switchguard.cloud.AgencyCredentials;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.config.Mode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Runs before every route: the body-size limit, the bearer API key, and whether the request's agency credentials
 * (X-CFF-* headers) may sign its cloud calls. Only /q/health is open (CONTRACT §4), plus GET of the static status
 * page's files (/ui/: no data, a browser cannot send a bearer key when it navigates; its script asks for the key
 * and sends it on every data call); in FaaS event mode (the timer function) /init and /invoke are too (§7).
 * Registered on the router so it covers Funqy's routes, which have no filter API of their own.
 */
@ApplicationScoped
public class HttpGuards {

    static final long MAX_BODY = 1024 * 1024;
    private static final String BEARER = "Bearer ";
    private static final Logger LOG = Logger.getLogger(HttpGuards.class);

    private final ApiKeys keys;
    private final ErrorResponses errors;
    private final boolean eventMode;

    public HttpGuards(ApiKeys keys, ErrorResponses errors, Mode mode) {
        this.keys = keys;
        this.errors = errors;
        this.eventMode = mode.eventMode();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(errors::handleFailure);
        router.route().order(Integer.MIN_VALUE + 1).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals("/q/health") || path.startsWith("/q/health/") || staticPage(ctx, path)) {
            ctx.next();
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            errors.write(ctx, 400, "SG.4001", "request body over 1 MiB", null);
            return;
        }
        // CONTRACT §7: FunctionGraph calls an event function's entry points without our key. Open only in event
        // mode (the timer function, which no public trigger reaches), only these two exact paths.
        boolean eventEntry = eventMode && (path.equals("/init") || path.equals("/invoke"));
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String key = auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? auth.substring(BEARER.length()).trim() : null;
        if (!eventEntry && !keys.accepts(key)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            errors.write(ctx, 401, "SG.4010", key == null ? "missing API key: send Authorization: Bearer <key>"
                    : "invalid API key", null);
            return;
        }
        ctx.put(ApiKeys.CALLER, keys.label(key));
        // Agency credentials sign this request's cloud calls only when the platform is the caller (event mode) or
        // the caller proved a key; otherwise anyone reaching the gateway could make a real swap sign with junk.
        if (AgencyCredentials.present(ctx.request().headers())) {
            if (eventEntry || keys.matches(key)) {
                CloudAuth.AkSk credentials = AgencyCredentials.from(ctx.request().headers());
                if (credentials != null) {
                    ctx.put(CloudAuth.REQUEST_CREDENTIALS, credentials);
                }
            } else {
                LOG.warnf("%s %s: X-CFF-* credentials ignored (no valid API key, not an event entry point)",
                        ctx.request().method(), path);
            }
        }
        ctx.next();
    }

    /** The status page's files: static, no data, so no key; reads only. */
    private static boolean staticPage(RoutingContext ctx, String path) {
        HttpMethod method = ctx.request().method();
        return (method == HttpMethod.GET || method == HttpMethod.HEAD)
                && (path.equals("/ui") || path.startsWith("/ui/"));
    }

    private static boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_BODY;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
