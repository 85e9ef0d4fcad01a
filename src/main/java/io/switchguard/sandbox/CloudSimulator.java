package io.switchguard.sandbox;

import io.switchguard.cloud.AkSkSigner;
import io.switchguard.sandbox.SandboxFault.Op;
import io.vertx.core.Context;
import io.vertx.core.Future;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * In-process simulator of the Huawei Cloud APIs switchguard calls (DCS swap and its status APIs,
 * DRS switch-vip and its status APIs, DWS DR failover and DR detail, SMN publish, IAM token),
 * served over real HTTP on its own Vert.x server bound to 127.0.0.1.
 *
 * <p>Every cloud route except IAM needs either a valid AK/SK signature made with the simulator's
 * access key (checked with {@link AkSkSigner#verify}) or an unexpired {@code X-Auth-Token} issued by
 * its IAM route; anything else gets APIG's 401. Each cloud call is recorded ({@link #calls()}),
 * authenticated or not. Every response carries an {@code X-Request-Id} header.
 *
 * <p>The simulated asynchronous processes (DRS VIP switch, DWS failover) and token expiry are
 * evaluated lazily against the injected {@link Clock}, so a test may drive them with a movable
 * clock instead of sleeping. Only the {@link SandboxFault#SLOW} answer uses a real Vert.x timer.
 *
 * <p>An issued token is accepted on every route, whatever project it was scoped to. A switch-vip
 * sent while a VIP switch is still running restarts it; a DWS failover sent while the DR is
 * {@code switchovering} is refused with 400.
 *
 * <p>Error codes not found in the reference (unknown resource, invalid DRS mode, operation in
 * progress, and those of the generic HTTP faults) are illustrative; the body shapes are the
 * cloud's. Control API (no signature, same port): {@code POST /_sandbox/faults},
 * {@code DELETE /_sandbox/faults}, {@code POST /_sandbox/dataplane}, {@code DELETE /_sandbox/dataplane},
 * {@code GET /_sandbox/calls}, {@code DELETE /_sandbox/calls}, {@code GET /_sandbox/state}.
 *
 * <p><b>Data plane.</b> Once started, every DCS instance also has four RESP listeners on 127.0.0.1
 * ({@link SimulatedRedisNode}): one per node ({@link #dcsNodeAddress}) and two stable service endpoints,
 * {@link #dcsPrimaryEndpoint} and {@link #dcsStandbyEndpoint}, that answer as whichever node holds the role
 * right now, so a statically configured probe sees a swap. Roles follow the DCS state the API changes;
 * replication offsets advance with the clock. {@link #dataPlaneFault} injects a {@link DataPlaneFault}
 * that shows consistently on the data plane, on the standby's view and on the status APIs (DRS and DWS
 * have no listener: there only the status APIs show it). Faults are evaluated lazily against the clock.
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
    private static final Pattern IAM_PASSWORD = Pattern.compile("(\"password\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final DateTimeFormatter IAM_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Duration TOKEN_VALIDITY = Duration.ofHours(24);
    /** Matches every resource in {@link #fault}: "the whole cloud is failing". */
    public static final String ANY_RESOURCE = "*";

    private final Vertx vertx;
    private final String accessKey;
    private final String secretKey;
    private final Clock clock;
    private final List<Route> routes = new ArrayList<>();
    /** Extra AK -> SK pairs, e.g. a FaaS invocation's temporary credentials (issue 7); see {@link #acceptKey}. */
    private final Map<String, String> extraKeys = new java.util.concurrent.ConcurrentHashMap<>();
    /** Access keys deleted in IAM (preflight, issue #16 part 1): their signatures are refused; see {@link #revokeKey}. */
    private final java.util.Set<String> revokedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, DcsInstance> dcs = new LinkedHashMap<>();
    private final Map<String, DrsJob> drs = new LinkedHashMap<>();
    private final Map<String, DwsDr> dws = new LinkedHashMap<>();
    private final Map<String, IamUser> iamUsers = new HashMap<>();
    private final Map<String, IssuedToken> tokens = new HashMap<>();
    private final Map<String, LinkedHashMap<SandboxFault, Integer>> faults = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<SmnMessage> smn = new ArrayList<>();
    private final Map<String, ActiveDataPlaneFault> dataPlane = new LinkedHashMap<>();
    private int ipCounter;

    private volatile Duration drsSwitchTime = Duration.ofMillis(300);
    private volatile Duration dwsFailoverTime = Duration.ofSeconds(1);
    private volatile Duration slowDelay = Duration.ofSeconds(15);
    private volatile Duration dataPlaneSlowDelay = Duration.ofSeconds(3);
    private volatile Duration flapSlice = Duration.ofSeconds(1);
    private volatile LagFault lagFault = new LagFault(200L * 1024 * 1024, Duration.ofMinutes(10), Duration.ofHours(4));
    private volatile String dcsPassword;
    private volatile HttpServer server;
    private volatile String baseUrl;

    public CloudSimulator(Vertx vertx, String accessKey, String secretKey, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        defineRoutes();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Binds 127.0.0.1 on {@code port} (0 = a free port) and waits until listening.
     * Must not be called on a Vert.x event-loop thread.
     *
     * @return the base URL, {@code http://127.0.0.1:<port>}
     */
    public String start(int port) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("start() blocks; call it off the event loop");
        }
        if (server != null) {
            throw new IllegalStateException("already started at " + baseUrl);
        }
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(this::handle);
        try {
            HttpServer bound = s.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            server = bound;
            baseUrl = "http://127.0.0.1:" + bound.actualPort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cloud simulator", e);
        } catch (Exception e) {
            throw new IllegalStateException("cloud simulator could not listen on 127.0.0.1:" + port, e);
        }
        List<String> ids;
        synchronized (lock) {
            ids = List.copyOf(dcs.keySet());
        }
        ids.forEach(id -> await(bindDataPlane(id), "the data plane of " + id));
        LOG.infof("SANDBOX cloud simulator listening on %s (no real cloud is called)", baseUrl);
        return baseUrl;
    }

    /** Closes the server and every data-plane listener and waits for them; like {@link #start}, not on an event loop. */
    public void stop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("stop() blocks; call it off the event loop");
        }
        List<SimulatedRedisNode> listeners = new ArrayList<>();
        synchronized (lock) {
            dcs.values().forEach(d -> listeners.addAll(d.unbindDataPlane()));
        }
        for (SimulatedRedisNode n : listeners) {
            try {
                n.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("sandbox RESP listener %s did not close cleanly: %s", n.name(), e.toString());
            }
        }
        HttpServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        try {
            s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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

    /**
     * A master/standby Redis instance: master node in AZ a, standby node in AZ b, status RUNNING. On a
     * started simulator its RESP listeners are bound before this returns (unless called on an event loop:
     * then they are bound in the background and the address methods answer null until they are).
     */
    public void addDcsInstance(String projectId, String instanceId) {
        List<SimulatedRedisNode> replaced;
        synchronized (lock) {
            int n = ++ipCounter;
            Instant now = clock.instant();
            DcsInstance old = dcs.put(instanceId, new DcsInstance(projectId, instanceId, new DcsNode[] {
                new DcsNode(instanceId + "-node-0", "192.168." + n + ".11", "sandbox-1a", UUID.randomUUID().toString()),
                new DcsNode(instanceId + "-node-1", "192.168." + n + ".12", "sandbox-1b", UUID.randomUUID().toString())},
                "192.168." + n + ".10", now));
            replaced = old == null ? List.of() : old.unbindDataPlane();
        }
        replaced.forEach(SimulatedRedisNode::close);
        if (server != null) {
            Future<Void> bound = bindDataPlane(instanceId);
            if (!Context.isOnEventLoopThread()) {
                await(bound, "the data plane of " + instanceId);
            }
        }
    }

    /** A dual-VIP DRS sync job in INCRE_TRANSFER_STARTED with no lag. */
    public void addDrsJob(String projectId, String jobId) {
        synchronized (lock) {
            drs.put(jobId, new DrsJob(projectId, jobId, clock.instant()));
        }
    }

    /** A DWS DR pair (primary + standby cluster), status running. */
    public void addDwsDr(String projectId, String drId) {
        synchronized (lock) {
            dws.put(drId, new DwsDr(projectId, drId, clock.instant()));
        }
    }

    /** An IAM user that may get tokens scoped to {@code projectId} (by id, or by any project name). */
    public void addIamUser(String domain, String user, String password, String projectId) {
        addIamUser(domain, user, password, projectId, null);
    }

    /** As {@link #addIamUser(String, String, String, String)}, but scope by name must use {@code projectName}. */
    public void addIamUser(String domain, String user, String password, String projectId, String projectName) {
        synchronized (lock) {
            iamUsers.put(domain + "/" + user, new IamUser(domain, user, password, projectId, projectName));
        }
    }

    // ------------------------------------------------------------------ state for assertions

    /** Node id of the current DCS master, or null for an unknown instance. */
    public String dcsMasterNode(String instanceId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : d.master().nodeId;
        }
    }

    /** Node id of the current DCS standby, or null for an unknown instance. */
    public String dcsStandbyNode(String instanceId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : d.standby().nodeId;
        }
    }

    /** DCS instance status (RUNNING unless set). */
    public void setDcsStatus(String instanceId, String status) {
        synchronized (lock) {
            required(dcs, instanceId).status = status;
        }
    }

    /** Side ({@code source}/{@code target}) the VIP was moved to by the last completed switch, or null. */
    public String drsVipSide(String jobId) {
        synchronized (lock) {
            DrsJob j = drs.get(jobId);
            if (j == null) {
                return null;
            }
            j.advance(clock.instant());
            return j.vipSide;
        }
    }

    /** Status the last switch-vip reports ({@code SWITCH_VIP_*}), or null before any switch. */
    public String drsSwitchStatus(String jobId) {
        synchronized (lock) {
            DrsJob j = drs.get(jobId);
            if (j == null) {
                return null;
            }
            j.advance(clock.instant());
            return j.switchStatus;
        }
    }

    /** Replication lag reported by batch-progress. */
    public void setDrsLag(String jobId, Duration lag) {
        synchronized (lock) {
            required(drs, jobId).lag = lag;
        }
    }

    /** Job status reported by batch-status / transfer_status of batch-progress. */
    public void setDrsJobStatus(String jobId, String status) {
        synchronized (lock) {
            required(drs, jobId).status = status;
        }
    }

    public String dwsPrimaryCluster(String drId) {
        synchronized (lock) {
            DwsDr d = dws.get(drId);
            if (d == null) {
                return null;
            }
            d.advance(clock.instant());
            return d.primary.id;
        }
    }

    public String dwsStandbyCluster(String drId) {
        synchronized (lock) {
            DwsDr d = dws.get(drId);
            if (d == null) {
                return null;
            }
            d.advance(clock.instant());
            return d.standby.id;
        }
    }

    /** DR status as the DR detail API shows it (data-plane faults included). */
    public String dwsStatus(String drId) {
        synchronized (lock) {
            DwsDr d = dws.get(drId);
            if (d == null) {
                return null;
            }
            Instant now = clock.instant();
            d.advance(now);
            return dwsStatus(d, now);
        }
    }

    /** How far the standby is behind: {@code last_success_time} = now - age. */
    public void setDwsSyncAge(String drId, Duration age) {
        synchronized (lock) {
            required(dws, drId).syncAge = age;
        }
    }

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
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(fault, "fault");
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

    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
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
            Instant now = clock.instant();
            String pinned;
            if (dcs.containsKey(resourceId)) {
                pinned = dcs.get(resourceId).master().nodeId;
            } else if (drs.containsKey(resourceId)) {
                DrsJob j = drs.get(resourceId);
                j.advance(now);
                pinned = j.activeSide();
            } else if (dws.containsKey(resourceId)) {
                DwsDr d = dws.get(resourceId);
                d.advance(now);
                pinned = d.primary.id;
            } else {
                throw new IllegalArgumentException("no sandbox resource " + resourceId);
            }
            if (kind == DataPlaneFault.SLOW && !dcs.containsKey(resourceId)) {
                throw new IllegalArgumentException("SLOW needs a data-plane listener; " + resourceId
                        + " is a DRS job or DWS DR, which have none here");
            }
            dataPlane.put(resourceId, new ActiveDataPlaneFault(kind, kind == DataPlaneFault.LAG ? null : pinned, now));
        }
    }

    /** Removes the data-plane fault of {@code resourceId}, if any. */
    public void clearDataPlaneFault(String resourceId) {
        synchronized (lock) {
            dataPlane.remove(resourceId);
        }
    }

    public void clearDataPlaneFaults() {
        synchronized (lock) {
            dataPlane.clear();
        }
    }

    /** The data-plane fault set on {@code resourceId}, if any. */
    public Optional<DataPlaneFault> dataPlaneFault(String resourceId) {
        synchronized (lock) {
            ActiveDataPlaneFault f = dataPlane.get(resourceId);
            return f == null ? Optional.empty() : Optional.of(f.kind());
        }
    }

    /** {@code 127.0.0.1:<port>} of one DCS node's RESP listener, or null (unknown, or not started). */
    public String dcsNodeAddress(String instanceId, String nodeId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            if (d == null) {
                return null;
            }
            for (DcsNode n : d.nodes) {
                if (n.nodeId.equals(nodeId)) {
                    return address(n.listener);
                }
            }
            return null;
        }
    }

    /** Address of the node that is master now (changes with a swap), or null. */
    public String dcsMasterAddress(String instanceId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : address(d.master().listener);
        }
    }

    /** Address of the node that is standby now (changes with a swap), or null. */
    public String dcsStandbyAddress(String instanceId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : address(d.standby().listener);
        }
    }

    /**
     * Stable address that always answers as the current master, like the instance's domain name: the
     * one to put in a probe's configuration. Null for an unknown instance or before start.
     */
    public String dcsPrimaryEndpoint(String instanceId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : address(d.primaryEndpoint);
        }
    }

    /** Stable address that always answers as the current standby. Null for an unknown instance or before start. */
    public String dcsStandbyEndpoint(String instanceId) {
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            return d == null ? null : address(d.standbyEndpoint);
        }
    }

    /** Password the RESP listeners require ({@code -NOAUTH} before AUTH); null (default) = AUTH accepts anything. */
    public void setDcsPassword(String password) {
        dcsPassword = password;
    }

    public Duration dataPlaneSlowDelay() {
        return dataPlaneSlowDelay;
    }

    /** How late a node under {@link DataPlaneFault#SLOW} answers (default 3 s, above a typical probe timeout). */
    public void setDataPlaneSlowDelay(Duration d) {
        dataPlaneSlowDelay = requireNonNegative(d);
    }

    public Duration flapSlice() {
        return flapSlice;
    }

    /** Slice of {@link DataPlaneFault#FLAP}: down one slice, up two (default 1 s; size it like the probe interval). */
    public void setFlapSlice(Duration d) {
        if (requireNonNegative(d).isZero()) {
            throw new IllegalArgumentException("flap slice must be > 0");
        }
        flapSlice = d;
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
        lagFault = new LagFault(redisBytes, requireNonNegative(drsDelay), requireNonNegative(dwsSyncAge));
    }

    /** Binds the four RESP listeners of one DCS instance (no-op if bound or unknown). */
    private Future<Void> bindDataPlane(String instanceId) {
        List<SimulatedRedisNode> listeners;
        synchronized (lock) {
            DcsInstance d = dcs.get(instanceId);
            if (d == null || d.primaryEndpoint != null) {
                return Future.succeededFuture();
            }
            for (int i = 0; i < d.nodes.length; i++) {
                int index = i;
                d.nodes[i].listener = new SimulatedRedisNode(vertx, d.nodes[i].nodeId,
                        () -> persona(d, x -> x.nodes[index]));
            }
            d.primaryEndpoint = new SimulatedRedisNode(vertx, instanceId + " primary endpoint",
                    () -> persona(d, DcsInstance::master));
            d.standbyEndpoint = new SimulatedRedisNode(vertx, instanceId + " standby endpoint",
                    () -> persona(d, DcsInstance::standby));
            listeners = List.of(d.nodes[0].listener, d.nodes[1].listener, d.primaryEndpoint, d.standbyEndpoint);
        }
        List<Future<SimulatedRedisNode>> bound = new ArrayList<>();
        listeners.forEach(n -> bound.add(n.listen()));
        return Future.all(bound).<Void>mapEmpty().onSuccess(v -> LOG.infof(
                "SANDBOX data plane of %s: primary endpoint %s, standby endpoint %s, nodes %s / %s", instanceId,
                listeners.get(2).address(), listeners.get(3).address(), listeners.get(0).address(),
                listeners.get(1).address()));
    }

    /** What one listener of {@code d} is now; {@code which} picks the node (a fixed one, or by role). */
    private SimulatedRedisNode.Persona persona(DcsInstance d, Function<DcsInstance, DcsNode> which) {
        synchronized (lock) {
            if (dcs.get(d.id) != d || d.primaryEndpoint == null) {
                return null; // replaced or stopped: answer as a dead node
            }
            Instant now = clock.instant();
            ActiveDataPlaneFault f = dataPlane.get(d.id);
            DcsNode node = which.apply(d);
            DcsNode master = d.master();
            DcsNode standby = d.standby();
            long written = d.offsetAt(now);
            // The standby stops applying when it loses its master: its offset freezes at the link-down moment.
            Instant linkDownSince = nodeDownSince(f, master, now);
            long applied = linkDownSince == null ? written : d.offsetAt(linkDownSince);
            if (f != null && f.kind() == DataPlaneFault.LAG) {
                applied = Math.max(0, applied - lagFault.redisBytes());
            }
            SimulatedRedisNode.Replication replication;
            if (node == master) {
                replication = new SimulatedRedisNode.Master(written, nodeDownSince(f, standby, now) != null
                        ? List.of()
                        : List.of(new SimulatedRedisNode.Follower("127.0.0.1", standby.listener.port(), applied)));
            } else {
                replication = new SimulatedRedisNode.Replica("127.0.0.1", master.listener.port(),
                        linkDownSince == null,
                        linkDownSince == null ? 0 : Duration.between(linkDownSince, now).toSeconds(), applied);
            }
            boolean slow = f != null && f.kind() == DataPlaneFault.SLOW && node.nodeId.equals(f.pinned());
            return new SimulatedRedisNode.Persona(nodeDownSince(f, node, now) != null,
                    slow ? dataPlaneSlowDelay : Duration.ZERO, dcsPassword, node.runId, node.listener.port(),
                    d.replId, replication);
        }
    }

    /** Since when {@code node} is down under {@code f} (DOWN, or FLAP in a down slice), null if it is up. */
    private Instant nodeDownSince(ActiveDataPlaneFault f, DcsNode node, Instant now) {
        return f != null && node.nodeId.equals(f.pinned()) ? downSince(f, now) : null;
    }

    /** Since when the pinned primary is down under {@code f}, null if it is up now; caller checks the pin. */
    private Instant downSince(ActiveDataPlaneFault f, Instant now) {
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

    /** A DCS node the status APIs report failed: only a lasting DOWN (a FLAP blip never reaches them). */
    private boolean dcsNodeFailed(DcsInstance d, DcsNode node) {
        ActiveDataPlaneFault f = dataPlane.get(d.id);
        return f != null && f.kind() == DataPlaneFault.DOWN && node.nodeId.equals(f.pinned());
    }

    /**
     * Instance detail status. A dead master with no automatic failover leaves the instance unable to serve:
     * the documented status for "not running properly" is ERROR. The swap check reads the stored status,
     * so the sandbox still lets the swap through: it is what moves the master off the failed node.
     */
    private String dcsStatus(DcsInstance d) {
        return "RUNNING".equals(d.status) && dcsNodeFailed(d, d.master()) ? "ERROR" : d.status;
    }

    /** DRS status under a data-plane fault on the side the VIP is on; caller holds lock and advanced {@code j}. */
    private String drsStatus(DrsJob j, Instant now) {
        ActiveDataPlaneFault f = dataPlane.get(j.id);
        return f != null && j.activeSide().equals(f.pinned()) && downSince(f, now) != null
                ? "INCRE_TRANSFER_FAILED" : j.status;
    }

    private Duration drsLag(DrsJob j) {
        ActiveDataPlaneFault f = dataPlane.get(j.id);
        return f != null && f.kind() == DataPlaneFault.LAG && lagFault.drsDelay().compareTo(j.lag) > 0
                ? lagFault.drsDelay() : j.lag;
    }

    /** Whether {@code c} of {@code d} is failed by a data-plane fault now; caller holds lock. */
    private boolean dwsClusterDown(DwsDr d, DwsCluster c, Instant now) {
        ActiveDataPlaneFault f = dataPlane.get(d.id);
        return f != null && c.id.equals(f.pinned()) && downSince(f, now) != null;
    }

    /**
     * DR status: abnormal while its primary cluster is failed. Once a failover has made the healthy
     * cluster primary the DR reads running again and only the failed (now standby) cluster says abnormal.
     */
    private String dwsStatus(DwsDr d, Instant now) {
        return "running".equals(d.status) && dwsClusterDown(d, d.primary, now) ? "abnormal" : d.status;
    }

    private String dwsClusterStatus(DwsDr d, DwsCluster c, Instant now) {
        return dwsClusterDown(d, c, now) ? "abnormal" : c.status;
    }

    private Duration dwsSyncAge(DwsDr d) {
        ActiveDataPlaneFault f = dataPlane.get(d.id);
        return f != null && f.kind() == DataPlaneFault.LAG && lagFault.dwsSyncAge().compareTo(d.syncAge) > 0
                ? lagFault.dwsSyncAge() : d.syncAge;
    }

    /** Data-plane faults and addresses as JSON; caller holds lock. */
    private JsonObject dataPlaneState(Instant now) {
        JsonObject out = new JsonObject();
        dataPlane.forEach((id, f) -> out.put(id, dataPlaneJson(f, now)));
        return out;
    }

    private JsonObject dataPlaneJson(ActiveDataPlaneFault f, Instant now) {
        JsonObject o = new JsonObject().put("fault", f.kind().name()).put("since", f.since().toString());
        if (f.pinned() != null) {
            o.put("pinned_to", f.pinned());
        }
        if (f.kind() == DataPlaneFault.DOWN || f.kind() == DataPlaneFault.FLAP) {
            o.put("down_now", downSince(f, now) != null);
        }
        return o;
    }

    private static String address(SimulatedRedisNode n) {
        return n == null || n.port() == 0 ? null : n.address();
    }

    private static void await(Future<?> f, String what) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not bind " + what + " on 127.0.0.1", e);
        }
    }

    // ------------------------------------------------------------------ calls

    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** Calls whose method equals {@code method} (any when null) and whose raw path matches {@code pathRegex}. */
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
        }
    }

    // ------------------------------------------------------------------ timings

    public Duration drsSwitchTime() {
        return drsSwitchTime;
    }

    public void setDrsSwitchTime(Duration d) {
        drsSwitchTime = requireNonNegative(d);
    }

    public Duration dwsFailoverTime() {
        return dwsFailoverTime;
    }

    public void setDwsFailoverTime(Duration d) {
        dwsFailoverTime = requireNonNegative(d);
    }

    public Duration slowDelay() {
        return slowDelay;
    }

    public void setSlowDelay(Duration d) {
        slowDelay = requireNonNegative(d);
    }

    // ================================================================== HTTP

    private record Route(String method, String[] segments, boolean open, Function<Req, Reply> handler) {
    }

    private record Req(String method, Map<String, String> params, Buffer body, String requestId) {
        String p(String name) {
            return params.get(name);
        }
    }

    /** What to answer; {@code slow} = answer only after {@link #slowDelay}. */
    private record Reply(int status, String contentType, Buffer body, Map<String, String> headers, boolean slow) {
        static Reply json(int status, Object body) {
            String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
            return new Reply(status, "application/json;charset=UTF-8", Buffer.buffer(text), Map.of(), false);
        }

        static Reply empty(int status) {
            return new Reply(status, null, null, Map.of(), false);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, contentType, body, h, slow);
        }

        Reply slowly(boolean s) {
            return new Reply(status, contentType, body, headers, s);
        }
    }

    private void defineRoutes() {
        route("POST", "/v3/auth/tokens", true, this::iamToken);
        route("POST", "/v2/{project_id}/instances/{instance_id}/swap", false, r -> dcsSwap(r, Op.DCS_V2));
        route("PUT", "/v1.0/{project_id}/instances/{instance_id}/swap", false, r -> dcsSwap(r, Op.DCS_V1));
        route("GET", "/v2/{project_id}/instance/{instance_id}/groups", false, this::dcsGroups);
        route("GET", "/v2/{project_id}/instances/{instance_id}", false, this::dcsDetail);
        route("POST", "/v3/{project_id}/jobs/{job_id}/switch-vip", false, this::drsSwitchVip);
        route("GET", "/v3/{project_id}/jobs/{job_id}/get-switch-vip-status", false, this::drsSwitchVipStatus);
        route("POST", "/v3/{project_id}/jobs/batch-status", false, this::drsBatchStatus);
        route("POST", "/v3/{project_id}/jobs/batch-progress", false, this::drsBatchProgress);
        route("POST", "/v2/{project_id}/disaster-recovery/{disaster_recovery_id}/failover", false, this::dwsFailover);
        route("POST", "/v2/{project_id}/disaster-recovery/{disaster_recovery_id}/switchover", false,
                this::dwsSwitchover);
        route("GET", "/v2/{project_id}/disaster-recovery/{disaster_recovery_id}", false, this::dwsDetail);
        route("POST", "/v2/{project_id}/notifications/topics/{topic_urn}/publish", false, this::smnPublish);
    }

    private void route(String method, String pattern, boolean open, Function<Req, Reply> handler) {
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
            reply = Reply.json(404, apigw("APIGW.0101",
                    "The API does not exist or has not been published in the environment"));
        } else if (match.get().getKey().open()) {
            reply = match.get().getKey().handler().apply(new Req(method, match.get().getValue(), body, requestId));
            authenticated = reply.status() < 300;
        } else {
            authenticated = authenticate(request, body);
            reply = authenticated
                    ? match.get().getKey().handler().apply(new Req(method, match.get().getValue(), body, requestId))
                    : Reply.json(401, apigw("APIGW.0301",
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
            synchronized (lock) {
                IssuedToken t = tokens.get(token);
                return t != null && clock.instant().isBefore(t.expiresAt());
            }
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
            calls.add(call);
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

    // ------------------------------------------------------------------ faults at work

    /** Takes (consumes one use of) the first fault on the resource that applies to {@code op}. Caller holds lock. */
    private SandboxFault takeFault(String resourceId, Op op) {
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

    /** The answer for a fault that simply fails the call, or null if the fault needs the handler. */
    private static Reply failure(SandboxFault f, String id) {
        if (f == null) {
            return null;
        }
        return switch (f) {
            case DCS_4855 -> Reply.json(400, dcsError("DCS.4855", "Master standby swap is not supported."));
            case DCS_5094 -> Reply.json(500, dcsError("DCS.5094", "Master standby swap failed."));
            case V1_CODE_1 -> Reply.json(200, new JsonObject().put("code", "1")
                    .put("message", "repliation abnormal, master connected_slaves:0\r"));
            case V1_CODE_2 -> Reply.json(200, new JsonObject().put("code", "2")
                    .put("message", "master standby status abnormal\r"));
            case V1_CODE_3 -> Reply.json(200, new JsonObject().put("code", "3")
                    .put("message", "internal service error\r"));
            case DRS_FAILED -> Reply.json(202, new JsonObject().put("id", id).put("status", "failed")
                    .put("error_code", "DRS.10030001")
                    .put("error_msg", "Failed to switch over the virtual IP address."));
            case HTTP_401 -> Reply.json(401, apigw("APIGW.0301",
                    "Incorrect IAM authentication information: verify aksk signature fail"));
            case HTTP_403 -> Reply.json(403, nested("APIGW.0402", "The IP address is not authorized to access the API"));
            case HTTP_404 -> Reply.json(404, apigw("APIGW.0101",
                    "The API does not exist or has not been published in the environment"));
            case HTTP_500 -> Reply.json(500, new JsonObject().put("code", "SYS.0500")
                    .put("message", "Internal server error."));
            case HTTP_503 -> Reply.json(503, nested("APIGW.0801", "Service unavailable."));
            case NON_JSON_500 -> new Reply(500, "text/html;charset=UTF-8", Buffer.buffer(
                    "<html><head><title>500 Internal Server Error</title></head><body>"
                            + "<h1>500 Internal Server Error</h1></body></html>"), Map.of(), false);
            case EMPTY_500 -> Reply.empty(500);
            case STATUS_404 -> Reply.json(404, apigw("APIGW.0101",
                    "The API does not exist or has not been published in the environment"));
            case DRS_SWITCH_FAILED, DWS_FAILOVER_FAILS, SLOW, NO_EFFECT, GATEWAY_502_AFTER_EFFECT -> null;
        };
    }

    /** The answer the caller sees once the call took effect: the gateway's 502 under GATEWAY_502_AFTER_EFFECT. */
    private static Reply answered(SandboxFault f, Reply ok) {
        return f == SandboxFault.GATEWAY_502_AFTER_EFFECT
                ? Reply.json(502, apigw("APIGW.0203", "Backend service unavailable"))
                : ok.slowly(f == SandboxFault.SLOW);
    }

    // ------------------------------------------------------------------ IAM

    private Reply iamToken(Req r) {
        JsonObject auth;
        try {
            auth = new JsonObject(r.body()).getJsonObject("auth");
        } catch (DecodeException | ClassCastException e) {
            auth = null;
        }
        JsonObject user = auth == null ? null : path(auth, "identity", "password", "user");
        JsonArray methods = auth == null ? null : path(auth, "identity") == null ? null
                : path(auth, "identity").getJsonArray("methods");
        JsonObject project = auth == null ? null : path(auth, "scope", "project");
        if (user == null || methods == null || !methods.contains("password") || project == null) {
            return Reply.json(400, iamError(400, "Bad Request", "The request body is invalid: password auth "
                    + "with a project scope is expected."));
        }
        JsonObject domain = user.getJsonObject("domain");
        String key = (domain == null ? null : domain.getString("name")) + "/" + user.getString("name");
        synchronized (lock) {
            IamUser u = iamUsers.get(key);
            if (u == null || !u.password().equals(user.getString("password"))) {
                return Reply.json(401, iamError(401, "Unauthorized", "The username or password is wrong."));
            }
            String projectName;
            if (project.getString("id") != null) {
                if (!project.getString("id").equals(u.projectId())) {
                    return Reply.json(401, iamError(401, "Unauthorized", "The user has no access to the project."));
                }
                projectName = u.projectName() == null ? u.projectId() : u.projectName();
            } else {
                projectName = project.getString("name");
                if (projectName == null || (u.projectName() != null && !u.projectName().equals(projectName))) {
                    return Reply.json(401, iamError(401, "Unauthorized", "The user has no access to the project."));
                }
            }
            Instant now = clock.instant();
            Instant expires = now.plus(TOKEN_VALIDITY);
            String token = "MIIsandbox" + UUID.randomUUID().toString().replace("-", "")
                    + UUID.randomUUID().toString().replace("-", "");
            tokens.put(token, new IssuedToken(u.projectId(), expires));
            JsonObject body = new JsonObject().put("token", new JsonObject()
                    .put("expires_at", IAM_TIME.format(expires))
                    .put("issued_at", IAM_TIME.format(now))
                    .put("methods", new JsonArray().add("password"))
                    .put("project", new JsonObject().put("id", u.projectId()).put("name", projectName)
                            .put("domain", new JsonObject().put("name", u.domain())))
                    .put("user", new JsonObject().put("name", u.user())
                            .put("domain", new JsonObject().put("name", u.domain())))
                    .put("catalog", new JsonArray()));
            return Reply.json(201, body).withHeader("X-Subject-Token", token);
        }
    }

    // ------------------------------------------------------------------ DCS

    private Reply dcsSwap(Req r, Op op) {
        synchronized (lock) {
            DcsInstance d = owned(dcs, r.p("project_id"), r.p("instance_id"));
            if (d == null) {
                return dcsNotFound();
            }
            SandboxFault f = takeFault(d.id, op);
            Reply failed = failure(f, d.id);
            if (failed != null) {
                return failed;
            }
            if (!"RUNNING".equals(d.status)) {
                return Reply.json(400, dcsError("DCS.4049", "The instance status is not running."));
            }
            if (f != SandboxFault.NO_EFFECT) {
                d.swap(clock.instant());
            }
            Reply ok = op == Op.DCS_V2 ? Reply.empty(204)
                    : Reply.json(200, new JsonObject().put("code", "").put("message", "success"));
            return answered(f, ok);
        }
    }

    private Reply dcsGroups(Req r) {
        synchronized (lock) {
            DcsInstance d = owned(dcs, r.p("project_id"), r.p("instance_id"));
            if (d == null) {
                return dcsNotFound();
            }
            Reply failed = failure(takeFault(d.id, Op.STATUS), d.id);
            if (failed != null) {
                return failed;
            }
            JsonArray replicas = new JsonArray();
            for (int i = 0; i < d.nodes.length; i++) {
                DcsNode n = d.nodes[i];
                replicas.add(new JsonObject()
                        .put("replication_role", i == d.masterIndex ? "master" : "slave")
                        .put("replication_ip", n.ip)
                        .put("replication_id", n.replicationId)
                        .put("node_id", n.nodeId)
                        // A failed node reads Inactive, as in DCS's node listing (Active|Inactive|...).
                        .put("status", dcsNodeFailed(d, n) ? "Inactive" : "Active")
                        .put("az_code", n.az)
                        .put("is_replication", false)
                        .put("dimensions", new JsonArray()));
            }
            // Only the fields of the SDK's InstanceGroupListInfo (SandboxSdkOracleTest): a group has no status.
            JsonObject group = new JsonObject().put("group_id", d.id + "-group-0").put("group_name", "group-0")
                    .put("replication_list", replicas);
            return Reply.json(200, new JsonObject().put("group_count", 1)
                    .put("group_list", new JsonArray().add(group)));
        }
    }

    private Reply dcsDetail(Req r) {
        synchronized (lock) {
            DcsInstance d = owned(dcs, r.p("project_id"), r.p("instance_id"));
            if (d == null) {
                return dcsNotFound();
            }
            // Fields of the SDK's ShowInstanceResponse only (SandboxSdkOracleTest reads every answer strictly).
            JsonObject body = new JsonObject()
                    .put("instance_id", d.id)
                    .put("name", "sandbox-" + d.id)
                    .put("engine", "Redis")
                    .put("engine_version", "6.0")
                    .put("cache_mode", "ha")
                    .put("status", dcsStatus(d))
                    .put("sub_status", "normal")
                    .put("ip", d.vip)
                    .put("port", 6379)
                    .put("domain_name", "redis-" + d.id + ".dcs.sandbox.local")
                    .put("readonly_domain_name", "redis-" + d.id + "-readonly.dcs.sandbox.local")
                    .put("capacity", 1)
                    .put("max_memory", 1024)
                    .put("used_memory", 2)
                    .put("replica_count", 2)
                    .put("sharding_count", 1)
                    .put("az_codes", new JsonArray().add(d.nodes[0].az).add(d.nodes[1].az))
                    .put("available_zones", new JsonArray().add(d.nodes[0].az).add(d.nodes[1].az))
                    .put("created_at", d.createdAt.toString())
                    .put("update_at", d.updatedAt.toString());
            return Reply.json(200, body);
        }
    }

    private static Reply dcsNotFound() {
        return Reply.json(404, dcsError("DCS.4800", "The instance does not exist."));
    }

    private static JsonObject dcsError(String code, String msg) {
        return new JsonObject().put("error_msg", msg).put("error_code", code).putNull("error_ext_msg");
    }

    // ------------------------------------------------------------------ DRS

    private Reply drsSwitchVip(Req r) {
        String mode;
        try {
            mode = new JsonObject(r.body()).getString("mode");
        } catch (DecodeException | ClassCastException e) {
            mode = null;
        }
        synchronized (lock) {
            DrsJob j = owned(drs, r.p("project_id"), r.p("job_id"));
            if (j == null) {
                return drsNotFound(r.p("job_id"));
            }
            if (!"source".equals(mode) && !"target".equals(mode)) {
                return Reply.json(400, drsError("DRS.10000001",
                        "Invalid parameter: mode must be \"source\" or \"target\"."));
            }
            SandboxFault f = takeFault(j.id, Op.DRS);
            Reply failed = failure(f, j.id);
            if (failed != null) {
                return failed;
            }
            Instant now = clock.instant();
            j.advance(now);
            j.startSwitch(mode, now.plus(drsSwitchTime), f);
            return answered(f, Reply.json(202, new JsonObject().put("id", j.id).put("status", "success")));
        }
    }

    private Reply drsSwitchVipStatus(Req r) {
        synchronized (lock) {
            DrsJob j = owned(drs, r.p("project_id"), r.p("job_id"));
            if (j == null) {
                return drsNotFound(r.p("job_id"));
            }
            Reply failed = failure(takeFault(j.id, Op.STATUS), j.id);
            if (failed != null) {
                return failed;
            }
            j.advance(clock.instant());
            JsonObject body = new JsonObject().put("id", j.id);
            if (j.switchStatus != null) {
                body.put("status", j.switchStatus);
            }
            if (DRS_SWITCH_VIP_FAILED.equals(j.switchStatus)) {
                body.put("error_code", "DRS.10030002").put("error_msg", "Failed to switch the virtual IP address.");
            }
            return Reply.json(200, body);
        }
    }

    private Reply drsBatchStatus(Req r) {
        List<String> ids = jobIds(r.body());
        if (ids == null) {
            return Reply.json(400, drsError("DRS.10000001", "Invalid parameter: jobs is required."));
        }
        synchronized (lock) {
            Instant now = clock.instant();
            JsonArray results = new JsonArray();
            for (String id : ids) {
                DrsJob j = owned(drs, r.p("project_id"), id);
                if (j == null) {
                    results.add(new JsonObject().put("id", id).put("status", "")
                            .put("error_code", "DRS.10000010").put("error_message", "The job does not exist."));
                } else {
                    j.advance(now);
                    results.add(new JsonObject().put("id", id).put("status", drsStatus(j, now)));
                }
            }
            return Reply.json(200, new JsonObject().put("count", results.size()).put("results", results));
        }
    }

    private Reply drsBatchProgress(Req r) {
        List<String> ids = jobIds(r.body());
        if (ids == null) {
            return Reply.json(400, drsError("DRS.10000001", "Invalid parameter: jobs is required."));
        }
        synchronized (lock) {
            Instant now = clock.instant();
            JsonArray results = new JsonArray();
            for (String id : ids) {
                DrsJob j = owned(drs, r.p("project_id"), id);
                if (j == null) {
                    results.add(new JsonObject().put("job_id", id)
                            .put("error_code", "DRS.10000010").put("error_msg", "The job does not exist."));
                    continue;
                }
                j.advance(now);
                Duration lag = drsLag(j);
                results.add(new JsonObject()
                        .put("job_id", id)
                        .put("progress", "100")
                        .put("incre_trans_delay", Long.toString(lag.toSeconds()))
                        .put("incre_trans_delay_millis", Long.toString(lag.toMillis()))
                        .put("task_mode", "FULL_INCR_TRANS")
                        .put("transfer_status", drsStatus(j, now))
                        .put("process_time", Long.toString(now.toEpochMilli()))
                        .put("remaining_time", "0")
                        .put("progress_map", new JsonObject()));
            }
            return Reply.json(202, new JsonObject().put("count", results.size()).put("results", results));
        }
    }

    private static List<String> jobIds(Buffer body) {
        try {
            JsonArray jobs = new JsonObject(body).getJsonArray("jobs");
            if (jobs == null) {
                return null;
            }
            List<String> ids = new ArrayList<>();
            for (Object o : jobs) {
                if (!(o instanceof String s)) {
                    return null;
                }
                ids.add(s);
            }
            return ids;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static Reply drsNotFound(String jobId) {
        return Reply.json(404, drsError("DRS.10000010", "The job " + jobId + " does not exist."));
    }

    private static JsonObject drsError(String code, String msg) {
        return new JsonObject().put("error_code", code).put("error_msg", msg);
    }

    // ------------------------------------------------------------------ DWS

    private Reply dwsFailover(Req r) {
        return dwsTrade(r, (d, now, f) -> {
            d.startFailover(now.plus(dwsFailoverTime), f);
            return answered(f, dwsAccepted(d));
        });
    }

    /**
     * Planned switchover: only a healthy DR (running, primary cluster not failed) trades roles, with no data loss;
     * otherwise 400, nothing changes. While it runs the DR reads switchovering, as during a failover. The refusal
     * code DWS.10103 is the sandbox's own (the real code is not documented here).
     */
    private Reply dwsSwitchover(Req r) {
        return dwsTrade(r, (d, now, f) -> {
            if (!"running".equals(dwsStatus(d, now))) {
                return Reply.json(400, new JsonObject().put("error_code", "DWS.10103")
                        .put("error_msg", "A planned switchover needs a running disaster recovery task; it is "
                                + dwsStatus(d, now) + "."));
            }
            d.startSwitchover(now.plus(dwsFailoverTime), f);
            return dwsAccepted(d).slowly(f == SandboxFault.SLOW);
        });
    }

    /** How a DR operation that passed {@link #dwsTrade}'s checks starts, under the simulator's lock. */
    private interface DwsStart {
        Reply start(DwsDr d, Instant now, SandboxFault f);
    }

    /**
     * What both DR operations answer before their own rules: 404 for a DR not in the project, a set fault's
     * failure, 400 while a switchover already runs.
     */
    private Reply dwsTrade(Req r, DwsStart start) {
        synchronized (lock) {
            DwsDr d = owned(dws, r.p("project_id"), r.p("disaster_recovery_id"));
            if (d == null) {
                return dwsNotFound();
            }
            SandboxFault f = takeFault(d.id, Op.DWS);
            Reply failed = failure(f, d.id);
            if (failed != null) {
                return failed;
            }
            Instant now = clock.instant();
            d.advance(now);
            if ("switchovering".equals(d.status)) {
                return Reply.json(400, new JsonObject().put("error_code", "DWS.10102")
                        .put("error_msg", "The disaster recovery task is being switched over."));
            }
            return start.start(d, now, f);
        }
    }

    private static Reply dwsAccepted(DwsDr d) {
        return Reply.json(200, new JsonObject().put("disaster_recovery", new JsonObject().put("id", d.id)));
    }

    private Reply dwsDetail(Req r) {
        synchronized (lock) {
            DwsDr d = owned(dws, r.p("project_id"), r.p("disaster_recovery_id"));
            if (d == null) {
                return dwsNotFound();
            }
            Reply failed = failure(takeFault(d.id, Op.STATUS), d.id);
            if (failed != null) {
                return failed;
            }
            Instant now = clock.instant();
            d.advance(now);
            String lastSuccess = now.minus(dwsSyncAge(d)).truncatedTo(ChronoUnit.SECONDS).toString();
            JsonObject body = new JsonObject()
                    .put("id", d.id)
                    .put("name", "sandbox-dr-" + d.id)
                    .put("dr_type", "az")
                    .put("status", dwsStatus(d, now))
                    .put("primary_cluster", d.primary.json("primary", dwsClusterStatus(d, d.primary, now), lastSuccess))
                    .put("standby_cluster", d.standby.json("standby", dwsClusterStatus(d, d.standby, now), lastSuccess))
                    .put("dr_sync_period", "1H")
                    .put("start_time", d.createdAt.truncatedTo(ChronoUnit.SECONDS).toString())
                    .put("create_time", d.createdAt.truncatedTo(ChronoUnit.SECONDS).toString());
            return Reply.json(200, new JsonObject().put("disaster_recovery", body));
        }
    }

    private static Reply dwsNotFound() {
        // The real service answers DWS.10101 for an unknown DR; 404 as the failover API documents.
        return Reply.json(404, new JsonObject().put("error_code", "DWS.10101")
                .put("error_msg", "The disaster recovery task does not exist."));
    }

    // ------------------------------------------------------------------ SMN

    private Reply smnPublish(Req r) {
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
            SandboxFault f = takeFault(topic, Op.SMN);
            Reply failed = failure(f, topic);
            if (failed != null) {
                return failed;
            }
            String messageId = UUID.randomUUID().toString().replace("-", "");
            String message = in.getValue("message") instanceof String m ? m
                    : in.getValue("message_structure") instanceof String s ? s : in.getString("message_template_name");
            smn.add(new SmnMessage(clock.instant(), r.p("project_id"), topic,
                    in.getValue("subject") instanceof String s ? s : null, message, messageId));
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
                            .put("headers", new JsonObject(new LinkedHashMap<>(c.headers())))
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
            if (!dcs.containsKey(resource) && !drs.containsKey(resource) && !dws.containsKey(resource)) {
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
            return Reply.json(200, dataPlaneJson(dataPlane.get(resource), clock.instant()).put("resource", resource));
        }
    }

    /** Everything the simulated cloud holds, as JSON (also served at {@code GET /_sandbox/state}). */
    public JsonObject state() {
        synchronized (lock) {
            Instant now = clock.instant();
            JsonObject dcsOut = new JsonObject();
            dcs.values().forEach(d -> {
                JsonObject out = new JsonObject().put("project_id", d.projectId)
                        .put("status", dcsStatus(d)).put("master", d.master().json()).put("standby", d.standby().json())
                        .put("swaps", d.swaps);
                if (d.primaryEndpoint != null) {
                    JsonObject nodes = new JsonObject();
                    for (DcsNode n : d.nodes) {
                        nodes.put(n.nodeId, address(n.listener));
                    }
                    out.put("endpoints", new JsonObject().put("primary", address(d.primaryEndpoint))
                            .put("standby", address(d.standbyEndpoint)).put("nodes", nodes));
                }
                dcsOut.put(d.id, out);
            });
            JsonObject drsOut = new JsonObject();
            drs.values().forEach(j -> {
                j.advance(now);
                drsOut.put(j.id, new JsonObject().put("project_id", j.projectId).put("status", drsStatus(j, now))
                        .put("lag_ms", drsLag(j).toMillis()).put("vip_side", j.vipSide)
                        .put("switch_status", j.switchStatus).put("switches", j.switches));
            });
            JsonObject dwsOut = new JsonObject();
            dws.values().forEach(d -> {
                d.advance(now);
                dwsOut.put(d.id, new JsonObject().put("project_id", d.projectId).put("status", dwsStatus(d, now))
                        .put("primary_cluster", d.primary.id).put("standby_cluster", d.standby.id)
                        .put("failovers", d.failovers).put("switchovers", d.switchovers));
            });
            JsonArray faultsOut = new JsonArray();
            faults.forEach((res, m) -> m.forEach((f, n) -> faultsOut.add(new JsonObject().put("resource", res)
                    .put("fault", f.name()).put("times", n))));
            JsonArray smnOut = new JsonArray();
            smn.forEach(m -> smnOut.add(new JsonObject().put("at", m.at().toString()).put("topic_urn", m.topicUrn())
                    .put("subject", m.subject()).put("message", m.message()).put("message_id", m.messageId())));
            return new JsonObject().put("dcs", dcsOut).put("drs", drsOut).put("dws", dwsOut)
                    .put("faults", faultsOut).put("dataplane", dataPlaneState(now)).put("smn", smnOut).put("calls", calls.size());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static JsonObject apigw(String code, String msg) {
        return new JsonObject().put("error_code", code).put("error_msg", msg);
    }

    private static JsonObject nested(String code, String msg) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", msg));
    }

    private static JsonObject iamError(int code, String title, String msg) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", msg)
                .put("title", title));
    }

    private static JsonObject path(JsonObject o, String... keys) {
        JsonObject cur = o;
        for (String k : keys) {
            if (cur == null || !(cur.getValue(k) instanceof JsonObject next)) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    /** The resource if it exists and belongs to the project; callers hold the lock. */
    private static <T extends Resource> T owned(Map<String, T> m, String projectId, String id) {
        T t = m.get(id);
        return t != null && t.projectId().equals(projectId) ? t : null;
    }

    private static <T> T required(Map<String, T> m, String id) {
        T t = m.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no sandbox resource " + id);
        }
        return t;
    }

    private static String decode(String seg) {
        try {
            return URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return seg;
        }
    }

    private static String randomHex() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
    }

    private static Duration requireNonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0: " + d);
        }
        return d;
    }

    // ------------------------------------------------------------------ state objects (guarded by lock)

    private interface Resource {
        String projectId();
    }

    private record IamUser(String domain, String user, String password, String projectId, String projectName) {
    }

    private record IssuedToken(String projectId, Instant expiresAt) {
    }

    /** A data-plane fault; {@code pinned} = DCS node id, DRS VIP side or DWS cluster id it hit (null for LAG). */
    private record ActiveDataPlaneFault(DataPlaneFault kind, String pinned, Instant since) {
    }

    private record LagFault(long redisBytes, Duration drsDelay, Duration dwsSyncAge) {
    }

    private static final class DcsNode {
        final String nodeId;
        final String ip;
        final String az;
        final String replicationId;
        final String runId = randomHex();
        SimulatedRedisNode listener;

        DcsNode(String nodeId, String ip, String az, String replicationId) {
            this.nodeId = nodeId;
            this.ip = ip;
            this.az = az;
            this.replicationId = replicationId;
        }

        JsonObject json() {
            return new JsonObject().put("node_id", nodeId).put("ip", ip).put("az_code", az);
        }
    }

    private static final class DcsInstance implements Resource {
        final String projectId;
        final String id;
        final DcsNode[] nodes;
        final String vip;
        final Instant createdAt;
        Instant updatedAt;
        int masterIndex;
        String status = "RUNNING";
        int swaps;
        final String replId = randomHex();
        SimulatedRedisNode primaryEndpoint;
        SimulatedRedisNode standbyEndpoint;

        DcsInstance(String projectId, String id, DcsNode[] nodes, String vip, Instant createdAt) {
            this.projectId = projectId;
            this.id = id;
            this.nodes = nodes;
            this.vip = vip;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        @Override
        public String projectId() {
            return projectId;
        }

        DcsNode master() {
            return nodes[masterIndex];
        }

        DcsNode standby() {
            return nodes[1 - masterIndex];
        }

        void swap(Instant now) {
            masterIndex = 1 - masterIndex;
            swaps++;
            updatedAt = now;
        }

        /**
         * Replication offset written by {@code at}: the instance has been taking 16 KB/s of writes and starts
         * with 5 GB behind it, so a lag of hundreds of MB is a plausible difference of two offsets.
         */
        long offsetAt(Instant at) {
            return 5_000_000_000L + Math.max(0, Duration.between(createdAt, at).toMillis()) * 16;
        }

        /** Forgets the listeners and returns them for closing. */
        List<SimulatedRedisNode> unbindDataPlane() {
            if (primaryEndpoint == null) {
                return List.of();
            }
            List<SimulatedRedisNode> out = List.of(nodes[0].listener, nodes[1].listener, primaryEndpoint,
                    standbyEndpoint);
            nodes[0].listener = null;
            nodes[1].listener = null;
            primaryEndpoint = null;
            standbyEndpoint = null;
            return out;
        }
    }

    private static final class DrsJob implements Resource {
        final String projectId;
        final String id;
        final Instant createdAt;
        String status = "INCRE_TRANSFER_STARTED";
        Duration lag = Duration.ZERO;
        String vipSide;
        String switchStatus;
        String pendingMode;
        Instant switchDoneAt;
        SandboxFault switchFault;
        int switches;

        DrsJob(String projectId, String id, Instant createdAt) {
            this.projectId = projectId;
            this.id = id;
            this.createdAt = createdAt;
        }

        @Override
        public String projectId() {
            return projectId;
        }

        /** The side the VIP points at: source until a switch-vip completes. */
        String activeSide() {
            return vipSide == null ? "source" : vipSide;
        }

        void startSwitch(String mode, Instant doneAt, SandboxFault fault) {
            switchStatus = DRS_SWITCH_VIP_START;
            pendingMode = mode;
            switchDoneAt = doneAt;
            switchFault = fault;
            switches++;
        }

        void advance(Instant now) {
            if (!DRS_SWITCH_VIP_START.equals(switchStatus) || now.isBefore(switchDoneAt)) {
                return;
            }
            if (switchFault == SandboxFault.DRS_SWITCH_FAILED) {
                switchStatus = DRS_SWITCH_VIP_FAILED;
            } else {
                switchStatus = DRS_SWITCH_VIP_COMPLETE;
                if (switchFault != SandboxFault.NO_EFFECT) {
                    vipSide = pendingMode;
                }
            }
        }
    }

    private static final class DwsCluster {
        final String id;
        final String name;
        final String az;
        String status = "waiting";

        DwsCluster(String id, String name, String az) {
            this.id = id;
            this.name = name;
            this.az = az;
        }

        /** The SDK's DisasterRecoveryCluster, field for field. */
        JsonObject json(String role, String shownStatus, String lastSuccessTime) {
            return new JsonObject()
                    .put("id", id)
                    .put("name", name)
                    .put("cluster_az", az)
                    .put("role", role)
                    .put("region", "sandbox-1")
                    .put("status", shownStatus)
                    .put("progress", "100%")
                    .put("last_success_time", lastSuccessTime)
                    .put("obs_bucket_name", "dws-dr-" + id);
        }
    }

    private static final class DwsDr implements Resource {
        final String projectId;
        final String id;
        final Instant createdAt;
        DwsCluster primary;
        DwsCluster standby;
        String status = "running";
        Duration syncAge = Duration.ZERO;
        Instant failoverDoneAt;
        SandboxFault failoverFault;
        int failovers;
        int switchovers;

        DwsDr(String projectId, String id, Instant createdAt) {
            this.projectId = projectId;
            this.id = id;
            this.createdAt = createdAt;
            this.primary = new DwsCluster(id + "-cluster-a", "dws-a", "sandbox-1a");
            this.standby = new DwsCluster(id + "-cluster-b", "dws-b", "sandbox-1b");
        }

        @Override
        public String projectId() {
            return projectId;
        }

        void startFailover(Instant doneAt, SandboxFault fault) {
            startSwitch(doneAt, fault);
            failovers++;
        }

        /** A planned switchover trades roles like a failover and reads the same while it runs. */
        void startSwitchover(Instant doneAt, SandboxFault fault) {
            startSwitch(doneAt, fault);
            switchovers++;
        }

        private void startSwitch(Instant doneAt, SandboxFault fault) {
            status = "switchovering";
            failoverDoneAt = doneAt;
            failoverFault = fault;
        }

        void advance(Instant now) {
            if (!"switchovering".equals(status) || now.isBefore(failoverDoneAt)) {
                return;
            }
            if (failoverFault == SandboxFault.DWS_FAILOVER_FAILS) {
                status = "abnormal";
                standby.status = "abnormal";
                return;
            }
            if (failoverFault != SandboxFault.NO_EFFECT) {
                DwsCluster old = primary;
                primary = standby;
                standby = old;
            }
            status = "running";
        }
    }
}
