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
        router.post("/sandbox/credentials/revoke").handler(BodyHandler.create().setBodyLimit(4096))
                .blockingHandler(ctx -> credentials(ctx, true));
        router.post("/sandbox/credentials/restore").handler(BodyHandler.create().setBodyLimit(4096))
                .blockingHandler(ctx -> credentials(ctx, false));
    }

    /**
     * POST /sandbox/credentials/revoke {"accessKey"?}: the simulated cloud refuses that key's signatures (default:
     * the key switchguard signs with), as if it had been deleted in IAM; /restore accepts it again.
     */
    private void credentials(RoutingContext ctx, boolean revoke) {
        Object key;
        try {
            JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
            key = body.getValue("accessKey");
        } catch (RuntimeException e) {
            key = 0;
        }
        if (key != null && !(key instanceof String)) {
            errors.write(ctx, 400, "SG.4000", "send {} or {\"accessKey\":\"...\"}", null);
            return;
        }
        if (revoke) {
            sandbox.simulator().revokeKey((String) key);
        } else {
            sandbox.simulator().restoreKey((String) key);
        }
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put(revoke ? "revoked" : "restored", key == null ? "switchguard's own key" : "the given key")
                .encode());
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
