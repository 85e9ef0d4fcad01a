package io.switchguard.sandbox;

import io.switchguard.cloud.AkSkSigner;
import io.switchguard.config.Kind;
import io.switchguard.sandbox.SandboxFault.Op;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * In-process simulator of the Huawei Cloud APIs switchguard calls, served over real HTTP on its own Vert.x server
 * bound to 127.0.0.1. This class is the shared part: the server and route matching, the signature check, the call
 * log, IAM tokens, SMN publish, the control API and the fault plumbing ({@link Simulation}). Each kind's routes and
 * state are its slice's {@link SimulatedKind} (io.switchguard.kinds.*), made from the factories it is given.
 *
 * <p>Every cloud route except IAM needs either a valid AK/SK signature made with the simulator's
 * access key (checked with {@link AkSkSigner#verify}) or an unexpired {@code X-Auth-Token} issued by
 * its IAM route; anything else gets APIG's 401. Each cloud call is recorded ({@link #calls()}),
 * authenticated or not. Every response carries an {@code X-Request-Id} header.
 *
 * <p>The simulated asynchronous processes (a kind's switchover) and token expiry are evaluated lazily against the
 * injected {@link Clock}, so a test may drive them with a movable clock instead of sleeping. Only the
 * {@link SandboxFault#SLOW} answer uses a real Vert.x timer. An issued token is accepted on every route, whatever
 * project it was scoped to.
 *
 * <p>Error codes not found in the reference (unknown resource, operation in progress, and those of the generic HTTP
 * faults) are illustrative; the body shapes are the cloud's. Control API (no signature, same port):
 * {@code POST /_sandbox/faults}, {@code DELETE /_sandbox/faults}, {@code POST /_sandbox/dataplane},
 * {@code DELETE /_sandbox/dataplane}, {@code GET /_sandbox/calls}, {@code DELETE /_sandbox/calls},
 * {@code GET /_sandbox/state}.
 *
 * <p><b>Data plane.</b> {@link #dataPlaneFault} injects a {@link DataPlaneFault} that shows consistently on a
 * kind's data plane (DCS: RESP listeners, {@link SimulatedRedisNode}), on the standby's view and on the status
 * APIs (DRS and DWS have no listener: there only the status APIs show it).
 *
 * <p>Thread-safe: all state sits behind one lock held only for in-memory work, so handlers never
 * wait on I/O while holding it and never block the event loop.
 */
public final class CloudSimulator {

    /** One request the simulated cloud received; {@code path} and {@code query} are raw (as sent). */
    public record Call(Instant at, String method, String path, String query, Map<String, String> headers,
            String body, boolean authenticated, int status) {
    }

    /** One message published to SMN. */
    public record SmnMessage(Instant at, String projectId, String topicUrn, String subject, String message,
            String messageId) {
    }

    public static final String DRS_SWITCH_VIP_START = "SWITCH_VIP_START";
    public static final String DRS_SWITCH_VIP_COMPLETE = "SWITCH_VIP_COMPLETE";
    public static final String DRS_SWITCH_VIP_FAILED = "SWITCH_VIP_FAILED";

    private static final Logger LOG = Logger.getLogger(CloudSimulator.class);
    private static final Pattern ACCESS_KEY = Pattern.compile("(Access=)[^,\\s]*");
    private static final Set<String> TOKEN_HEADERS = Set.of("x-security-token", "x-auth-token");
    private static final Pattern IAM_PASSWORD = Pattern.compile("(\"password\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    /** Matches every resource in {@link #fault}: "the whole cloud is failing". */
    public static final String ANY_RESOURCE = Simulation.ANY_RESOURCE;
    /** Event loops serving the API: Quarkus starts two per core, so two leave room for the application's own. */
    private static final int SERVER_INSTANCES = 2;
    private static final AtomicInteger RANDOM_PORT_IDS = new AtomicInteger();

    private final Vertx vertx;
    private final String accessKey;
    private final String secretKey;
    private final Clock clock;
    private final Simulation simulation;
    private final Object lock;
    private final SimulatedIam iam;
    /** Each kind's part, sorted by name; byKind finds the part of a target's kind. */
    private final List<SimulatedKind> parts;
    private final Map<Kind, SimulatedKind> byKind = new EnumMap<>(Kind.class);
    private final List<Route> routes = new ArrayList<>();
    /** Extra AK -> SK pairs, e.g. a FaaS invocation's temporary credentials (issue 7); see {@link #acceptKey}. */
    private final Map<String, String> extraKeys = new java.util.concurrent.ConcurrentHashMap<>();
    /** Access keys deleted in IAM (preflight, issue #16 part 1): their signatures are refused; see {@link #revokeKey}. */
    private final java.util.Set<String> revokedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * How many of the newest calls and SMN messages are kept. Every call used to be kept: a sandbox left running
     * grew by about 2 KB a cloud call (the checker's status reads included), without bound, and
     * {@code GET /_sandbox/state} carried every message ever published.
     */
    static final int CALLS_KEPT = 10_000;
    static final int SMN_KEPT = 1_000;

    // guarded by lock
    private final ArrayDeque<Call> calls = new ArrayDeque<>();
    private final ArrayDeque<SmnMessage> smn = new ArrayDeque<>();
    /** Calls since the last reset, the ones no longer kept included. */
    private long callsSeen;

    private volatile Duration slowDelay = Duration.ofSeconds(15);
    /** The servers' verticle (one instance per event loop), null when stopped. */
    private volatile String deployment;
    private volatile String baseUrl;

    /** A simulator with one part made by each of {@code kinds} (the slices' registered factories). */
    public CloudSimulator(Vertx vertx, String accessKey, String secretKey, Clock clock,
            Collection<? extends SimulatedKind.Factory> kinds) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.simulation = new Simulation(vertx, clock);
        this.lock = simulation.lock();
        this.iam = new SimulatedIam(clock, lock);
        List<SimulatedKind> made = new ArrayList<>();
        kinds.forEach(f -> made.add(f.create(simulation)));
        made.sort(Comparator.comparing(SimulatedKind::name));
        this.parts = List.copyOf(made);
        for (SimulatedKind part : parts) {
            for (Kind k : part.kinds()) {
                if (byKind.put(k, part) != null) {
                    throw new IllegalStateException("two simulator parts for " + k.id());
                }
            }
        }
        route("POST", "/v3/auth/tokens", true, iam::token);
        parts.forEach(p -> p.routes((method, pattern, handler) -> route(method, pattern, false, handler)));
        route("POST", "/v2/{project_id}/notifications/topics/{topic_urn}/publish", false, this::smnPublish);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Binds 127.0.0.1 on {@code port} (0 = a free port) and waits until listening; then each part starts (DCS
     * binds its data-plane listeners). Must not be called on a Vert.x event-loop thread.
     *
     * @return the base URL, {@code http://127.0.0.1:<port>}
     */
    public String start(int port) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("start() blocks; call it off the event loop");
        }
        if (deployment != null) {
            throw new IllegalStateException("already started at " + baseUrl);
        }
        // One server is one event loop: every caller's HTTP parsing, signature check and answer on one thread,
        // where the switchover path's three calls queued behind each other under concurrent swaps. A verticle's
        // instances each run on an event loop of their own and share the port; the state they serve is under lock.
        // For "any free port" Vert.x shares one random port between the servers given the same negative number, so
        // each simulator takes a number of its own (two simulators on one Vert.x would otherwise share a port).
        int listen = port == 0 ? -RANDOM_PORT_IDS.incrementAndGet() : port;
        List<HttpServer> bound = new CopyOnWriteArrayList<>();
        try {
            deployment = vertx.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start(Promise<Void> started) {
                    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(
                            CloudSimulator.this::handle).listen(listen, "127.0.0.1").onSuccess(s -> {
                                bound.add(s);
                                started.complete();
                            }).onFailure(started::fail);
                }
            }, new DeploymentOptions().setInstances(SERVER_INSTANCES)).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cloud simulator", e);
        } catch (Exception e) {
            throw new IllegalStateException("cloud simulator could not listen on 127.0.0.1:" + port, e);
        }
        baseUrl = "http://127.0.0.1:" + bound.get(0).actualPort();
        simulation.listening(true);
        parts.forEach(SimulatedKind::start);
        LOG.infof("SANDBOX cloud simulator listening on %s (no real cloud is called)", baseUrl);
        return baseUrl;
    }

    /** Stops every part (closing the data-plane listeners) and the servers and waits for them; not on an event loop. */
    public void stop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("stop() blocks; call it off the event loop");
        }
        simulation.listening(false);
        parts.forEach(SimulatedKind::stop);
        String running = deployment;
        if (running == null) {
            return;
        }
        deployment = null;
        try {
            // Undeploying stops the verticle's instances and closes their servers.
            vertx.undeploy(running).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("cloud simulator did not close cleanly: %s", e.toString());
        }
    }

    /**
     * Issue 7 (additive): accept one more AK/SK pair besides the constructor's, as the cloud accepts an agency's
     * temporary credentials (which also carry X-Security-Token; the simulator records it in {@link Call#headers()}).
     */
    public void acceptKey(String accessKey, String secretKey) {
        extraKeys.put(Objects.requireNonNull(accessKey, "accessKey"), Objects.requireNonNull(secretKey, "secretKey"));
    }

    /**
     * Issue #16 (additive): the access key is deleted, as an operator deletes an IAM credential: every request it
     * signs is refused with APIG's 401 until {@link #restoreKey}. Null = the simulator's own key.
     */
    public void revokeKey(String accessKey) {
        revokedKeys.add(accessKey == null ? this.accessKey : accessKey);
    }

    public void restoreKey(String accessKey) {
        revokedKeys.remove(accessKey == null ? this.accessKey : accessKey);
    }

    /** The base URL once started, else null. */
    public String baseUrl() {
        return baseUrl;
    }

    // ------------------------------------------------------------------ resources

    /** The part that simulates {@code kind}'s resources. */
    public SimulatedKind part(Kind kind) {
        SimulatedKind part = byKind.get(kind);
        if (part == null) {
            throw new IllegalStateException("no simulator part for " + kind.id());
        }
        return part;
    }

    /** The part of this type (a slice's own, for its tests and fixtures). */
    public <T extends SimulatedKind> T part(Class<T> type) {
        return parts.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("no simulator part " + type.getName()));
    }

    /** The kinds this simulator has a part for. */
    public java.util.Set<Kind> kinds() {
        return java.util.Set.copyOf(byKind.keySet());
    }

    /** The resource a target of {@code kind} names (a DCS instance, DRS job or DWS DR). */
    public void add(Kind kind, String projectId, String resourceId) {
        part(kind).add(projectId, resourceId);
    }

    /** The resource's stable data-plane addresses, where its kind simulates a data plane (DCS). */
    public Optional<SimulatedKind.Endpoints> endpoints(Kind kind, String resourceId) {
        return part(kind).endpoints(resourceId);
    }

    /** An IAM user that may get tokens scoped to {@code projectId} (by id, or by any project name). */
    public void addIamUser(String domain, String user, String password, String projectId) {
        addIamUser(domain, user, password, projectId, null);
    }

    /** As {@link #addIamUser(String, String, String, String)}, but scope by name must use {@code projectName}. */
    public void addIamUser(String domain, String user, String password, String projectId, String projectName) {
        iam.addUser(domain, user, password, projectId, projectName);
    }

    /** The newest messages, oldest first: at most {@link #SMN_KEPT}. */
    public List<SmnMessage> smnMessages() {
        synchronized (lock) {
            return List.copyOf(smn);
        }
    }

    // ------------------------------------------------------------------ faults

    /**
     * Makes the next {@code times} applicable calls on {@code resourceId} (or on every resource for
     * {@link #ANY_RESOURCE}) fail with {@code fault}; {@code times < 0} = until cleared, 0 = remove it.
     */
    public void fault(String resourceId, SandboxFault fault, int times) {
        simulation.fault(Objects.requireNonNull(resourceId, "resourceId"), Objects.requireNonNull(fault, "fault"),
                times);
    }

    public void clearFaults() {
        simulation.clearFaults();
    }

    // ------------------------------------------------------------------ data plane

    /**
     * Injects {@code kind} into the data plane of {@code resourceId} (a DCS instance, DRS job or DWS DR),
     * replacing any data-plane fault it had; see {@link DataPlaneFault} for how each shows. DOWN, SLOW and
     * FLAP are pinned to what is primary now (DCS master node, DRS VIP side, DWS primary cluster).
     *
     * @throws IllegalArgumentException for an unknown resource, or SLOW on a DRS job / DWS DR (no listener)
     */
    public void dataPlaneFault(String resourceId, DataPlaneFault kind) {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(kind, "kind (clearDataPlaneFault removes one)");
        synchronized (lock) {
            SimulatedKind part = owner(resourceId)
                    .orElseThrow(() -> new IllegalArgumentException("no sandbox resource " + resourceId));
            String pinned = part.pin(resourceId, kind);
            simulation.setDataPlaneFault(resourceId, new Simulation.ActiveDataPlaneFault(kind,
                    kind == DataPlaneFault.LAG ? null : pinned, clock.instant()));
        }
    }

    /** Removes the data-plane fault of {@code resourceId}, if any. */
    public void clearDataPlaneFault(String resourceId) {
        simulation.clearDataPlaneFault(resourceId);
    }

    public void clearDataPlaneFaults() {
        simulation.clearDataPlaneFaults();
    }

    /** The data-plane fault set on {@code resourceId}, if any. */
    public Optional<DataPlaneFault> dataPlaneFault(String resourceId) {
        synchronized (lock) {
            Simulation.ActiveDataPlaneFault f = simulation.dataPlaneFault(resourceId);
            return f == null ? Optional.empty() : Optional.of(f.kind());
        }
    }

    public Duration dataPlaneSlowDelay() {
        return simulation.dataPlaneSlowDelay();
    }

    /** How late a node under {@link DataPlaneFault#SLOW} answers (default 3 s, above a typical probe timeout). */
    public void setDataPlaneSlowDelay(Duration d) {
        simulation.setDataPlaneSlowDelay(d);
    }

    public Duration flapSlice() {
        return simulation.flapSlice();
    }

    /** Slice of {@link DataPlaneFault#FLAP}: down one slice, up two (default 1 s; size it like the probe interval). */
    public void setFlapSlice(Duration d) {
        simulation.setFlapSlice(d);
    }

    /**
     * What {@link DataPlaneFault#LAG} shows: the DCS standby this many bytes behind, DRS
     * {@code incre_trans_delay} at least {@code drsDelay}, DWS {@code last_success_time} at least
     * {@code dwsSyncAge} ago (defaults 200 MiB, 10 min, 4 h).
     */
    public void setLagFault(long redisBytes, Duration drsDelay, Duration dwsSyncAge) {
        if (redisBytes < 0) {
            throw new IllegalArgumentException("redisBytes must be >= 0: " + redisBytes);
        }
        simulation.setLagFault(new Simulation.LagFault(redisBytes, Simulation.requireNonNegative(drsDelay),
                Simulation.requireNonNegative(dwsSyncAge)));
    }

    /** The part that holds the resource; caller holds lock. */
    private Optional<SimulatedKind> owner(String resourceId) {
        return parts.stream().filter(p -> p.has(resourceId)).findFirst();
    }

    // ------------------------------------------------------------------ calls

    private static <T> void keepNewest(ArrayDeque<T> kept, T item, int limit) {
        if (kept.size() == limit) {
            kept.removeFirst();
        }
        kept.addLast(item);
    }

    /** The newest calls, oldest first: at most {@link #CALLS_KEPT}. */
    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /**
     * Kept calls (the newest {@link #CALLS_KEPT}) whose method equals {@code method} (any when null) and whose raw
     * path matches {@code pathRegex}.
     */
    public long count(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        synchronized (lock) {
            return calls.stream()
                    .filter(c -> method == null || c.method().equalsIgnoreCase(method))
                    .filter(c -> p.matcher(c.path()).matches())
                    .count();
        }
    }

    public void resetCalls() {
        synchronized (lock) {
            calls.clear();
            callsSeen = 0;
        }
    }

    public Duration slowDelay() {
        return slowDelay;
    }

    public void setSlowDelay(Duration d) {
        slowDelay = Simulation.requireNonNegative(d);
    }

    // ================================================================== HTTP

    private record Route(String method, String[] segments, boolean open, Function<Request, Reply> handler) {
    }

    private void route(String method, String pattern, boolean open, Function<Request, Reply> handler) {
        routes.add(new Route(method, pattern.substring(1).split("/"), open, handler));
    }

    private void handle(HttpServerRequest request) {
        String requestId = UUID.randomUUID().toString().replace("-", "");
        request.body().onComplete(ar -> {
            if (ar.failed()) {
                request.response().setStatusCode(400).putHeader("X-Request-Id", requestId).end();
                return;
            }
            Buffer body = ar.result();
            Reply reply;
            try {
                if (request.path().startsWith("/_sandbox/") || request.path().equals("/_sandbox")) {
                    reply = control(request, body);
                } else {
                    reply = cloud(request, body, requestId);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "cloud simulator failed on %s %s", request.method(), request.path());
                reply = Reply.json(500, new JsonObject().put("error_code", "SANDBOX.0500")
                        .put("error_msg", "simulator bug: " + e));
            }
            send(request, reply, requestId);
        });
    }

    private Reply cloud(HttpServerRequest request, Buffer body, String requestId) {
        String method = request.method().name();
        String rawPath = request.path();
        Optional<Map.Entry<Route, Map<String, String>>> match = match(method, rawPath);
        boolean authenticated;
        Reply reply;
        if (match.isEmpty()) {
            authenticated = authenticate(request, body);
            reply = Reply.json(404, Reply.apigw("APIGW.0101",
                    "The API does not exist or has not been published in the environment"));
        } else if (match.get().getKey().open()) {
            reply = match.get().getKey().handler().apply(new Request(method, match.get().getValue(), body, requestId));
            authenticated = reply.status() < 300;
        } else {
            authenticated = authenticate(request, body);
            reply = authenticated
                    ? match.get().getKey().handler().apply(new Request(method, match.get().getValue(), body, requestId))
                    : Reply.json(401, Reply.apigw("APIGW.0301",
                            "Incorrect IAM authentication information: verify aksk signature fail"));
        }
        record(request, body, authenticated, reply.status(), match.map(m -> m.getKey().open()).orElse(false));
        return reply;
    }

    private Optional<Map.Entry<Route, Map<String, String>>> match(String method, String rawPath) {
        String[] segs = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : rawPath.split("/", -1);
        for (Route r : routes) {
            if (!r.method().equals(method) || r.segments().length != segs.length) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < segs.length && ok; i++) {
                String p = r.segments()[i];
                String s = decode(segs[i]);
                if (p.startsWith("{")) {
                    ok = !s.isEmpty();
                    params.put(p.substring(1, p.length() - 1), s);
                } else {
                    ok = p.equals(s);
                }
            }
            if (ok) {
                return Optional.of(Map.entry(r, params));
            }
        }
        return Optional.empty();
    }

    private boolean authenticate(HttpServerRequest r, Buffer body) {
        String token = r.getHeader("X-Auth-Token");
        if (token != null) {
            return iam.valid(token);
        }
        String authorization = r.getHeader("Authorization");
        if (authorization == null) {
            return false;
        }
        try {
            Optional<String> ak = AkSkSigner.accessKeyOf(authorization);
            String sk = ak.isEmpty() || revokedKeys.contains(ak.get()) ? null
                    : ak.get().equals(accessKey) ? secretKey : extraKeys.get(ak.get());
            return sk != null
                    && AkSkSigner.verify(r.method().name(), r.path(), r.query(), r::getHeader, body.getBytes(), sk);
        } catch (RuntimeException e) {
            // A malformed Authorization header is a failed signature, as APIG treats it.
            return false;
        }
    }

    /**
     * The headers as /_sandbox/calls answers them: how a call was signed, never with what (the access key and the
     * tokens are masked; a signature proves nothing without the SK). The in-memory {@link Call} keeps them as
     * received: tests in this process tell by the access key which credentials signed a call, and nothing there
     * leaves the process.
     */
    static Map<String, String> masked(Map<String, String> headers) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> {
            if (TOKEN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, "***");
            } else if (name.equalsIgnoreCase("Authorization")) {
                out.put(name, ACCESS_KEY.matcher(value).replaceAll("$1***"));
            } else {
                out.put(name, value);
            }
        });
        return out;
    }

    private void record(HttpServerRequest r, Buffer body, boolean authenticated, int status, boolean iam) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
        String text = body.toString(StandardCharsets.UTF_8);
        if (iam) {
            // Keep IAM passwords out of the call log and /_sandbox/calls.
            text = IAM_PASSWORD.matcher(text).replaceAll("$1\"***\"");
        }
        Call call = new Call(clock.instant(), r.method().name(), r.path(), r.query(),
                Collections.unmodifiableMap(headers), text, authenticated, status);
        synchronized (lock) {
            keepNewest(calls, call, CALLS_KEPT);
            callsSeen++;
        }
    }

    private void send(HttpServerRequest request, Reply reply, String requestId) {
        if (reply.slow()) {
            vertx.setTimer(Math.max(1, slowDelay.toMillis()), id -> write(request.response(), reply, requestId));
        } else {
            write(request.response(), reply, requestId);
        }
    }

    private static void write(HttpServerResponse resp, Reply reply, String requestId) {
        if (resp.ended() || resp.closed()) {
            return; // the caller gave up (e.g. timed out on a SLOW answer)
        }
        resp.setStatusCode(reply.status()).putHeader("X-Request-Id", requestId);
        reply.headers().forEach(resp::putHeader);
        if (reply.contentType() != null) {
            resp.putHeader("Content-Type", reply.contentType());
        }
        if (reply.body() == null) {
            resp.end();
        } else {
            resp.end(reply.body());
        }
    }

    // ------------------------------------------------------------------ SMN

    private Reply smnPublish(Request r) {
        JsonObject in;
        try {
            in = new JsonObject(r.body());
        } catch (DecodeException | ClassCastException e) {
            in = null;
        }
        if (in == null || (!(in.getValue("message") instanceof String)
                && !(in.getValue("message_structure") instanceof String)
                && !(in.getValue("message_template_name") instanceof String))) {
            return Reply.json(400, new JsonObject().put("request_id", r.requestId())
                    .put("error_code", "SMN.00010008").put("error_msg", "message is required."));
        }
        synchronized (lock) {
            String topic = r.p("topic_urn");
            SandboxFault f = simulation.takeFault(topic, Op.SMN);
            Reply failed = Simulation.failure(f);
            if (failed != null) {
                return failed;
            }
            String messageId = UUID.randomUUID().toString().replace("-", "");
            String message = in.getValue("message") instanceof String m ? m
                    : in.getValue("message_structure") instanceof String s ? s : in.getString("message_template_name");
            keepNewest(smn, new SmnMessage(clock.instant(), r.p("project_id"), topic,
                    in.getValue("subject") instanceof String s ? s : null, message, messageId), SMN_KEPT);
            return Reply.json(200, new JsonObject().put("request_id", r.requestId()).put("message_id", messageId))
                    .slowly(f == SandboxFault.SLOW);
        }
    }

    // ------------------------------------------------------------------ control API

    private Reply control(HttpServerRequest r, Buffer body) {
        String key = r.method().name() + " " + r.path();
        switch (key) {
            case "POST /_sandbox/faults": {
                JsonObject in;
                try {
                    in = new JsonObject(body);
                } catch (DecodeException | ClassCastException e) {
                    return Reply.json(400, new JsonObject().put("error", "body must be JSON"));
                }
                String resource = in.getValue("resource") instanceof String s ? s : null;
                SandboxFault fault;
                try {
                    fault = SandboxFault.valueOf(String.valueOf(in.getValue("fault")));
                } catch (IllegalArgumentException e) {
                    return Reply.json(400, new JsonObject().put("error", "fault must be one of "
                            + java.util.Arrays.toString(SandboxFault.values())));
                }
                if (resource == null) {
                    return Reply.json(400, new JsonObject().put("error", "resource is required ('*' = all)"));
                }
                int times = in.getValue("times") instanceof Number n ? n.intValue() : -1;
                fault(resource, fault, times);
                return Reply.json(200, new JsonObject().put("resource", resource).put("fault", fault.name())
                        .put("times", times));
            }
            case "DELETE /_sandbox/faults":
                clearFaults();
                return Reply.empty(204);
            case "POST /_sandbox/dataplane":
                return controlDataPlane(body);
            case "DELETE /_sandbox/dataplane":
                clearDataPlaneFaults();
                return Reply.empty(204);
            case "GET /_sandbox/calls": {
                JsonArray out = new JsonArray();
                for (Call c : calls()) {
                    out.add(new JsonObject().put("at", c.at().toString()).put("method", c.method())
                            .put("path", c.path()).put("query", c.query())
                            .put("headers", new JsonObject(new LinkedHashMap<>(masked(c.headers()))))
                            .put("body", c.body()).put("authenticated", c.authenticated()).put("status", c.status()));
                }
                return Reply.json(200, out);
            }
            case "DELETE /_sandbox/calls":
                resetCalls();
                return Reply.empty(204);
            case "GET /_sandbox/state":
                return Reply.json(200, state());
            default:
                return Reply.json(404, new JsonObject().put("error", "unknown sandbox control route " + key));
        }
    }

    /** {@code {"resource": id, "fault": "DOWN"|"SLOW"|"LAG"|"FLAP"|null}}; null (or absent) clears. */
    private Reply controlDataPlane(Buffer body) {
        JsonObject in;
        try {
            in = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return Reply.json(400, new JsonObject().put("error", "body must be JSON"));
        }
        String resource = in.getValue("resource") instanceof String s ? s : null;
        if (resource == null) {
            return Reply.json(400, new JsonObject().put("error", "resource is required"));
        }
        Object value = in.getValue("fault");
        DataPlaneFault kind = null;
        if (value != null) {
            try {
                kind = DataPlaneFault.valueOf(String.valueOf(value));
            } catch (IllegalArgumentException e) {
                return Reply.json(400, new JsonObject().put("error", "fault must be null or one of "
                        + java.util.Arrays.toString(DataPlaneFault.values())));
            }
        }
        synchronized (lock) {
            if (owner(resource).isEmpty()) {
                return Reply.json(404, new JsonObject().put("error", "no sandbox resource " + resource));
            }
            if (kind == null) {
                clearDataPlaneFault(resource);
                return Reply.json(200, new JsonObject().put("resource", resource).putNull("fault"));
            }
            try {
                dataPlaneFault(resource, kind);
            } catch (IllegalArgumentException e) {
                return Reply.json(400, new JsonObject().put("error", e.getMessage()));
            }
            return Reply.json(200, simulation.dataPlaneJson(simulation.dataPlaneFault(resource), clock.instant())
                    .put("resource", resource));
        }
    }

    /** Everything the simulated cloud holds, as JSON (also served at {@code GET /_sandbox/state}). */
    public JsonObject state() {
        synchronized (lock) {
            Instant now = clock.instant();
            JsonObject out = new JsonObject();
            parts.forEach(p -> out.put(p.name(), p.state(now)));
            JsonArray smnOut = new JsonArray();
            smn.forEach(m -> smnOut.add(new JsonObject().put("at", m.at().toString()).put("topic_urn", m.topicUrn())
                    .put("subject", m.subject()).put("message", m.message()).put("message_id", m.messageId())));
            return out.put("faults", simulation.faultState()).put("dataplane", simulation.dataPlaneState(now))
                    .put("smn", smnOut).put("calls", callsSeen);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String decode(String seg) {
        try {
            return URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return seg;
        }
    }


}
