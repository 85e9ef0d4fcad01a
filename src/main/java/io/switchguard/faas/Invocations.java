package io.switchguard.faas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.cloud.AgencyCredentials;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.http.ApiException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * FunctionGraph's event-function entry points (CONTRACT §7): POST /init answers 200; POST /invoke takes the
 * trigger event (a timer's {"version","time","trigger_type":"TIMER","trigger_name","user_event"}) and runs one
 * check cycle through {@link CycleRunner}, then what fell due through {@link DueRunner}, answering 200 with both
 * reports in one object.
 *
 * <p>With an agency, the platform hands each invocation temporary credentials ({@link AgencyCredentials}); the
 * whole cycle runs inside {@link CloudAuth#withCredentials} on this worker thread, so its cloud calls are signed
 * with them. They are never logged, not even the AK. Who may call, and whether those credentials are trusted, is
 * HttpGuards' business: open in event mode (the timer function), the bearer key otherwise.
 */
@ApplicationScoped
public class Invocations {

    static final String REQUEST_ID = "X-CFF-Request-Id";
    /** After HttpGuards (Integer.MIN_VALUE, +1), before Funqy's own routes, which would answer 404. */
    static final int ORDER = -1000;
    private static final long MAX_BODY = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(Invocations.class);

    private final CycleRunner cycle;
    private final DueRunner due;
    private final CloudAuth auth;
    private final ObjectMapper mapper;

    public Invocations(CycleRunner cycle, DueRunner due, CloudAuth auth, ObjectMapper mapper) {
        this.cycle = cycle;
        this.due = due;
        this.auth = auth;
        this.mapper = mapper;
    }

    void routes(@Observes Router router) {
        router.post("/init").order(ORDER).handler(ctx -> json(ctx, "{}"));
        Route invoke = router.post("/invoke").order(ORDER);
        invoke.handler(BodyHandler.create().setBodyLimit(MAX_BODY));
        // Worker thread: the cycle blocks on cloud calls, and the credentials live in this thread's CloudAuth slot.
        invoke.blockingHandler(this::invoke, false);
    }

    private void invoke(RoutingContext ctx) {
        JsonNode event = event(ctx);
        // Left by HttpGuards only when they may be trusted (event mode, or a valid key).
        CloudAuth.AkSk credentials = ctx.get(CloudAuth.REQUEST_CREDENTIALS);
        long started = System.nanoTime();
        Object report = credentials != null ? auth.withCredentials(credentials, this::run) : run();
        String body;
        try {
            body = mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cycle report is not serializable", e);
        }
        LOG.infof("faas invoke %s: trigger %s %s, %s credentials, cycle ran in %d ms",
                orDash(ctx.request().getHeader(REQUEST_ID)), orDash(event.path("trigger_type").asText(null)),
                orDash(event.path("trigger_name").asText(null)),
                credentials != null ? "temporary (X-CFF-*)" : auth.canSign() ? "configured" : "no",
                (System.nanoTime() - started) / 1_000_000);
        json(ctx, body);
    }

    /** The cycle first (it takes or renews its shards), then due work (which renews the lease it needs). */
    private Map<String, Object> run() {
        Map<String, Object> report = new LinkedHashMap<>(cycle.runCycle());
        report.putAll(due.runDue());
        return report;
    }

    /** The trigger event: any JSON object (timer, or a test event from the console); an empty body is {}. */
    private JsonNode event(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // answered below
        }
        throw ApiException.badRequest("the event is not a JSON object");
    }

    private static void json(RoutingContext ctx, String body) {
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
