package io.switchguard.sandbox;

import io.switchguard.config.Mode;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.http.ErrorResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * POST /sandbox/faults {"target":"demo-cache","kind":"down|slow|lag|flap|none"} on the main API (behind the
 * API key): breaks a demo target's simulated data plane so a user can watch a breach, the automatic
 * switchover, the cooldown and the recovery. Sandbox mode only.
 */
@ApplicationScoped
public class SandboxRoutes {

    private final Mode mode;
    private final Targets targets;
    private final SandboxLauncher sandbox;
    private final ErrorResponses errors;

    public SandboxRoutes(Mode mode, Targets targets, SandboxLauncher sandbox, ErrorResponses errors) {
        this.mode = mode;
        this.targets = targets;
        this.sandbox = sandbox;
        this.errors = errors;
    }

    void install(@Observes Router router) {
        if (!mode.sandbox()) {
            return;
        }
        router.post("/sandbox/faults").handler(BodyHandler.create().setBodyLimit(4096)).blockingHandler(this::fault);
    }

    private void fault(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null || !(body.getValue("target") instanceof String name)) {
            errors.write(ctx, 400, "SG.4000", "send {\"target\":..., \"kind\":\"down|slow|lag|flap|none\"}", null);
            return;
        }
        Target target = targets.find(name).orElse(null);
        if (target == null) {
            errors.write(ctx, 404, "SG.4040", "unknown target '" + name + "'", null);
            return;
        }
        Object kind = body.getValue("kind");
        CloudSimulator sim = sandbox.simulator();
        if (kind == null || "none".equals(kind)) {
            sim.clearDataPlaneFault(target.resourceId());
        } else {
            DataPlaneFault fault;
            try {
                fault = DataPlaneFault.valueOf(String.valueOf(kind).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.write(ctx, 400, "SG.4000", "kind: one of down, slow, lag, flap, none", null);
                return;
            }
            sim.dataPlaneFault(target.resourceId(), fault);
        }
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("target", name)
                .put("kind", kind == null ? "none" : String.valueOf(kind).toLowerCase(Locale.ROOT)).encode());
    }
}
