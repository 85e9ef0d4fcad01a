package io.switchguard.http;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Who is calling, as the journal names them: the label {@link HttpGuards} attached to the request being served. */
@ApplicationScoped
public class Callers {

    /** The caller's key label; {@link ApiKeys#ANONYMOUS} outside a request or without a valid key. */
    public String current() {
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return ApiKeys.ANONYMOUS;
        }
        RoutingContext ctx = arc.instance(CurrentVertxRequest.class).get().getCurrent();
        String label = ctx == null ? null : ctx.get(ApiKeys.CALLER);
        return label != null ? label : ApiKeys.ANONYMOUS;
    }
}
