package io.switchguard.sandbox;

import io.switchguard.sandbox.SandboxFault.Op;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every kind's part of the simulated cloud shares: the one lock, the clock, the Vert.x its listeners run on,
 * the faults set on calls and those set on data planes. Faults are evaluated lazily against the clock.
 */
public final class Simulation {

    /** Matches every resource in {@link #fault}: "the whole cloud is failing". */
    public static final String ANY_RESOURCE = "*";

    /** A data-plane fault; {@code pinned} = DCS node id, DRS VIP side or DWS cluster id it hit (null for LAG). */
    public record ActiveDataPlaneFault(DataPlaneFault kind, String pinned, Instant since) {}

    /** What {@link DataPlaneFault#LAG} shows on each kind. */
    public record LagFault(long redisBytes, Duration drsDelay, Duration dwsSyncAge) {}

    private final Vertx vertx;
    private final Clock clock;
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, LinkedHashMap<SandboxFault, Integer>> faults = new LinkedHashMap<>();
    private final Map<String, ActiveDataPlaneFault> dataPlane = new LinkedHashMap<>();

    private volatile boolean listening;
    private volatile Duration dataPlaneSlowDelay = Duration.ofSeconds(3);
    private volatile Duration flapSlice = Duration.ofSeconds(1);
    private volatile LagFault lagFault = new LagFault(200L * 1024 * 1024, Duration.ofMinutes(10), Duration.ofHours(4));

    Simulation(Vertx vertx, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The simulator's one lock: held only for in-memory work, never while waiting on I/O. */
    public Object lock() {
        return lock;
    }

    public Clock clock() {
        return clock;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Whether the simulator's server is up (a part binds new listeners at once then). */
    public boolean listening() {
        return listening;
    }

    void listening(boolean on) {
        listening = on;
    }

    // ------------------------------------------------------------------ call faults

    void fault(String resourceId, SandboxFault fault, int times) {
        synchronized (lock) {
            LinkedHashMap<SandboxFault, Integer> m = faults.computeIfAbsent(resourceId, k -> new LinkedHashMap<>());
            m.remove(fault);
            if (times != 0) {
                m.put(fault, times);
            } else if (m.isEmpty()) {
                faults.remove(resourceId);
            }
        }
    }

    void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    /** Takes (consumes one use of) the first fault on the resource that applies to {@code op}. Caller holds lock. */
    public SandboxFault takeFault(String resourceId, Op op) {
        for (String key : new String[] {resourceId, ANY_RESOURCE}) {
            LinkedHashMap<SandboxFault, Integer> m = faults.get(key);
            if (m == null) {
                continue;
            }
            for (Iterator<Map.Entry<SandboxFault, Integer>> it = m.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<SandboxFault, Integer> e = it.next();
                if (!e.getKey().appliesTo(op)) {
                    continue;
                }
                if (e.getValue() > 0) {
                    if (e.getValue() == 1) {
                        it.remove();
                    } else {
                        e.setValue(e.getValue() - 1);
                    }
                }
                if (m.isEmpty()) {
                    faults.remove(key);
                }
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The answer for a generic fault that simply fails the call; null for none, for a fault the handler must
     * play out, and for a kind's own refusal (its part answers that).
     */
    public static Reply failure(SandboxFault f) {
        if (f == null) {
            return null;
        }
        return switch (f) {
            case HTTP_401 -> Reply.json(401, Reply.apigw("APIGW.0301",
                    "Incorrect IAM authentication information: verify aksk signature fail"));
            case HTTP_403 -> Reply.json(403, Reply.nested("APIGW.0402",
                    "The IP address is not authorized to access the API"));
            case HTTP_404, STATUS_404 -> Reply.json(404, Reply.apigw("APIGW.0101",
                    "The API does not exist or has not been published in the environment"));
            case HTTP_500 -> Reply.json(500, new JsonObject().put("code", "SYS.0500")
                    .put("message", "Internal server error."));
            case HTTP_503 -> Reply.json(503, Reply.nested("APIGW.0801", "Service unavailable."));
            case NON_JSON_500 -> new Reply(500, "text/html;charset=UTF-8", io.vertx.core.buffer.Buffer.buffer(
                    "<html><head><title>500 Internal Server Error</title></head><body>"
                            + "<h1>500 Internal Server Error</h1></body></html>"), Map.of(), false);
            case EMPTY_500 -> Reply.empty(500);
            case DCS_4855, DCS_5094, V1_CODE_1, V1_CODE_2, V1_CODE_3, DRS_FAILED -> null;
            case DRS_SWITCH_FAILED, DWS_FAILOVER_FAILS, SLOW, NO_EFFECT, GATEWAY_502_AFTER_EFFECT -> null;
        };
    }

    /** The answer the caller sees once the call took effect: the gateway's 502 under GATEWAY_502_AFTER_EFFECT. */
    public static Reply answered(SandboxFault f, Reply ok) {
        return f == SandboxFault.GATEWAY_502_AFTER_EFFECT
                ? Reply.json(502, Reply.apigw("APIGW.0203", "Backend service unavailable"))
                : ok.slowly(f == SandboxFault.SLOW);
    }

    // ------------------------------------------------------------------ data-plane faults

    /** The data-plane fault set on the resource, or null; caller holds lock. */
    public ActiveDataPlaneFault dataPlaneFault(String resourceId) {
        return dataPlane.get(resourceId);
    }

    void setDataPlaneFault(String resourceId, ActiveDataPlaneFault f) {
        dataPlane.put(resourceId, f);
    }

    void clearDataPlaneFault(String resourceId) {
        synchronized (lock) {
            dataPlane.remove(resourceId);
        }
    }

    void clearDataPlaneFaults() {
        synchronized (lock) {
            dataPlane.clear();
        }
    }

    /** Since when the pinned primary is down under {@code f}, null if it is up now; caller checks the pin. */
    public Instant downSince(ActiveDataPlaneFault f, Instant now) {
        if (f.kind() == DataPlaneFault.DOWN) {
            return f.since();
        }
        if (f.kind() != DataPlaneFault.FLAP) {
            return null;
        }
        long slice = flapSlice.toNanos();
        long elapsed = Math.max(0, Duration.between(f.since(), now).toNanos());
        long n = elapsed / slice;
        return n % 3 == 0 ? f.since().plusNanos(n * slice) : null;
    }

    /** Whether what the resource's fault is pinned to is {@code pinned} and down now (DOWN, or FLAP in a down slice). */
    public boolean downNow(String resourceId, String pinned, Instant now) {
        ActiveDataPlaneFault f = dataPlane.get(resourceId);
        return f != null && pinned.equals(f.pinned()) && downSince(f, now) != null;
    }

    /** Whether the resource has a LAG fault; caller holds lock. */
    public boolean lagging(String resourceId) {
        ActiveDataPlaneFault f = dataPlane.get(resourceId);
        return f != null && f.kind() == DataPlaneFault.LAG;
    }

    /** Data-plane faults as JSON; caller holds lock. */
    JsonObject dataPlaneState(Instant now) {
        JsonObject out = new JsonObject();
        dataPlane.forEach((id, f) -> out.put(id, dataPlaneJson(f, now)));
        return out;
    }

    JsonObject dataPlaneJson(ActiveDataPlaneFault f, Instant now) {
        JsonObject o = new JsonObject().put("fault", f.kind().name()).put("since", f.since().toString());
        if (f.pinned() != null) {
            o.put("pinned_to", f.pinned());
        }
        if (f.kind() == DataPlaneFault.DOWN || f.kind() == DataPlaneFault.FLAP) {
            o.put("down_now", downSince(f, now) != null);
        }
        return o;
    }

    /** Call faults as JSON; caller holds lock. */
    io.vertx.core.json.JsonArray faultState() {
        io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
        faults.forEach((res, m) -> m.forEach((f, n) -> out.add(new JsonObject().put("resource", res)
                .put("fault", f.name()).put("times", n))));
        return out;
    }

    public Duration dataPlaneSlowDelay() {
        return dataPlaneSlowDelay;
    }

    void setDataPlaneSlowDelay(Duration d) {
        dataPlaneSlowDelay = requireNonNegative(d);
    }

    Duration flapSlice() {
        return flapSlice;
    }

    void setFlapSlice(Duration d) {
        if (requireNonNegative(d).isZero()) {
            throw new IllegalArgumentException("flap slice must be > 0");
        }
        flapSlice = d;
    }

    public LagFault lagFault() {
        return lagFault;
    }

    void setLagFault(LagFault f) {
        lagFault = f;
    }

    // ------------------------------------------------------------------ helpers for the parts

    /** The resource if it exists and belongs to the project; callers hold the lock. */
    public static <T extends Resource> T owned(Map<String, T> m, String projectId, String id) {
        T t = m.get(id);
        return t != null && t.projectId().equals(projectId) ? t : null;
    }

    public static <T> T required(Map<String, T> m, String id) {
        T t = m.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no sandbox resource " + id);
        }
        return t;
    }

    public static Duration requireNonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0: " + d);
        }
        return d;
    }

    /** A simulated resource: it answers only to its own project. */
    public interface Resource {
        String projectId();
    }
}
