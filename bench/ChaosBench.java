import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wrong-action trials against the packaged application (sandbox cloud, real Redis 6.2 pairs). A wrong action is
 * a switchover call the scenario must never cause. Compiled together with {@link DetectionBench}, whose process
 * and RESP helpers it uses (see chaos.sh).
 * <ul>
 * <li>{@code flap}: each auto target's master is killed for one second in three (kill -9, restart on the same
 * port), four times per trial, at a random phase. A threshold of 3 must never breach: any swap call is wrong. In
 * fast mode (chaos.sh FAST=true) each flap is a restart blip (killed and restarted at once), four intervals apart.</li>
 * <li>{@code manual}: an auto target's master is killed, and an operator swaps by hand at once (before the
 * breach). The data plane keeps failing for six more seconds, as it does while the cloud settles. Exactly one swap
 * call (the operator's) is right; an automatic one that toggles back is wrong.</li>
 * <li>{@code saturation}: twenty auto targets whose data plane is a closed port, a real-cloud configuration
 * whose DCS endpoint is this program's own fake (status RUNNING after 800 ms, swaps counted and answered 204),
 * whose answer the observer does not wait for: the cloud's word comes too late for most observations. A probe that
 * did not finish is no signal, so no trial may see a swap call. Each target watched for {@code SATURATION_WINDOW} is one trial.</li>
 * </ul>
 * Usage: {@code ChaosBench <scenario> <redis-server> <workDir> <appUrl> <apiKey> <sandboxUrl> <rounds>
 * <targetsFile>}; each line of targetsFile is {@code name instanceId masterPort replicaPort role} with role
 * {@code flap|manual|control}. Trials = targets of the scenario's role x rounds, run target-parallel.
 */
public class ChaosBench {

    record Pair(String name, String instance, int masterPort, int replicaPort, String role) {
    }

    record Trial(String target, int round, int swapCalls, int expected, String note) {
        boolean wrong() {
            return swapCalls != expected;
        }
    }

    static String app;
    static String key;
    static String sandbox;

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        if (scenario.equals("saturation")) {
            saturation(args);
            return;
        }
        DetectionBench.redisServer = args[1];
        DetectionBench.work = Path.of(args[2]);
        app = args[3];
        key = args[4];
        sandbox = args[5];
        int rounds = Integer.parseInt(args[6]);
        List<Pair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[7]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 5) {
                pairs.add(new Pair(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DetectionBench.CHILDREN.forEach(Process::destroyForcibly)));
        for (Pair p : pairs) {
            startMaster(p);
            DetectionBench.redis(p.name() + "-replica", p.replicaPort(), p.masterPort());
        }
        List<Pair> subjects = pairs.stream().filter(p -> p.role().equals(scenario)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(subjects.size());
        List<Future<List<Trial>>> futures = new ArrayList<>();
        for (Pair p : subjects) {
            Callable<List<Trial>> run = () -> {
                List<Trial> out = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    Trial t = scenario.equals("flap") ? flap(p, r) : manual(p, r);
                    System.out.printf("%-7s trial %-12s round %2d: %d swap call(s), expected %d%s%s%n", scenario,
                            t.target(), t.round(), t.swapCalls(), t.expected(), t.wrong() ? "  WRONG" : "",
                            t.note().isEmpty() ? "" : "  (" + t.note() + ")");
                    out.add(t);
                }
                return out;
            };
            futures.add(pool.submit(run));
        }
        List<Trial> all = new ArrayList<>();
        for (Future<List<Trial>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdownNow();
        long wrong = all.stream().filter(Trial::wrong).count();
        System.out.printf("%n| scenario | trials | wrong actions | expected swap calls per trial |%n"
                + "|----------|--------|---------------|-------------------------------|%n"
                + "| %-8s | %6d | %13d | %29d |%n", scenario, all.size(), wrong, scenario.equals("flap") ? 0 : 1);
        System.exit(wrong == 0 ? 0 : 1);
    }

    static final Duration SATURATION_WINDOW = Duration.ofSeconds(20);

    /** {@code saturation <cloudPort> <appUrl> <apiKey> <target>...}: serve the slow cloud, watch, count swaps. */
    static void saturation(String[] args) throws Exception {
        java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> swaps = new java.util.concurrent.ConcurrentHashMap<>();
        com.sun.net.httpserver.HttpServer cloud = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 256);
        cloud.setExecutor(Executors.newCachedThreadPool());
        cloud.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            Matcher swap = Pattern.compile(".*/instances/([^/]+)/swap").matcher(path);
            if ("POST".equals(x.getRequestMethod()) && swap.matches()) {
                swaps.computeIfAbsent(swap.group(1), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                x.sendResponseHeaders(204, -1);
                x.close();
                return;
            }
            byte[] body;
            int status;
            if ("GET".equals(x.getRequestMethod()) && path.matches(".*/instances/[^/]+")) {
                try {
                    Thread.sleep(800);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 200;
                body = "{\"status\":\"RUNNING\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "{\"error_code\":\"APIGW.0101\",\"error_msg\":\"not found\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        cloud.start();
        app = args[2];
        key = args[3];
        List<String> targets = List.of(args).subList(4, args.length);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!get(app + "/status", key).contains("\"" + targets.get(0) + "\"")) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("switchguard never listed " + targets.get(0));
            }
            Thread.sleep(500);
        }
        // Each second, does /status show a probe that did not run? Without that the trial proves nothing.
        Pattern missed = Pattern.compile("\"notRun\"\\s*:\\s*\\[\\s*\"");
        int saturatedSamples = 0;
        long end = System.currentTimeMillis() + SATURATION_WINDOW.toMillis();
        while (System.currentTimeMillis() < end) {
            saturatedSamples += missed.matcher(get(app + "/status", key)).find() ? 1 : 0;
            Thread.sleep(1000);
        }
        long wrong = 0;
        for (String t : targets) {
            int n = swaps.getOrDefault("chaos-" + t, new java.util.concurrent.atomic.AtomicInteger()).get();
            wrong += n == 0 ? 0 : 1;
            System.out.printf("saturation trial %-14s: %d swap call(s), expected 0%s%n", t, n, n == 0 ? "" : "  WRONG");
        }
        System.out.printf("seconds in which /status showed probes that did not run: %d of %d%s%n", saturatedSamples,
                SATURATION_WINDOW.toSeconds(), saturatedSamples == 0 ? " (the pool was not saturated: proves nothing)" : "");
        cloud.stop(0);
        System.out.printf("%n| scenario | trials | wrong actions | expected swap calls per trial |%n"
                + "|----------|--------|---------------|-------------------------------|%n"
                + "| %-8s | %6d | %13d | %29d |%n", "saturat.", targets.size(), wrong, 0);
        System.exit(wrong == 0 ? 0 : 1);
    }

    /** How long the master stays dead per flap, and up between flaps (chaos.sh sets them from the interval). */
    static final long FLAP_DOWN = Long.getLong("flap.down", 1000);
    static final long FLAP_UP = Long.getLong("flap.up", 2000);

    /**
     * Down {@code flap.down} ms (1 s; fast mode: 0, a restart blip), up {@code flap.up} ms (2 s), four
     * times; no swap may follow, including in the two seconds after.
     */
    static Trial flap(Pair p, int round) throws Exception {
        awaitSettled(p, Duration.ZERO);
        int before = swapCalls(p.instance());
        Thread.sleep(ThreadLocalRandom.current().nextLong(FLAP_DOWN + FLAP_UP));
        for (int i = 0; i < 4; i++) {
            Process master = masterProcess(p);
            master.destroyForcibly();
            master.waitFor();
            Thread.sleep(FLAP_DOWN);
            startMaster(p);
            Thread.sleep(FLAP_UP);
        }
        Thread.sleep(2000);
        return new Trial(p.name(), round, swapCalls(p.instance()) - before, 0, "");
    }

    /**
     * Kill the master, swap by hand within a second (force: the standby's link is down, as in a real outage),
     * keep the old master dead six more seconds, then restore it. Only the operator's swap may reach the cloud.
     */
    static Trial manual(Pair p, int round) throws Exception {
        awaitSettled(p, Duration.ofSeconds(12));
        int before = swapCalls(p.instance());
        Process master = masterProcess(p);
        master.destroyForcibly();
        master.waitFor();
        Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1000));
        HttpResponse<String> swap = DetectionBench.HTTP.send(HttpRequest.newBuilder(URI.create(app + "/swap"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(40))
                .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"" + p.name() + "\",\"force\":true,"
                        + "\"reason\":\"chaos bench: operator swap during a breach\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(6000);
        startMaster(p);
        Thread.sleep(2000);
        String note = swap.statusCode() == 200 ? "" : "manual swap answered " + swap.statusCode();
        return new Trial(p.name(), round, swapCalls(p.instance()) - before, 1, note);
    }

    /** Healthy, no streak, replica attached, and no swap of this target in the last {@code quiet}. */
    static void awaitSettled(Pair p, Duration quiet) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!(DetectionBench.linkUp(p.replicaPort()) && healthy(p.name())
                && lastSwapAgeMillis(p.instance()) >= quiet.toMillis())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(p.name() + " not settled within 90 s: "
                        + get(app + "/status?target=" + p.name(), key));
            }
            Thread.sleep(200);
        }
    }

    /** Each pair's live master process, replaced on every restart. */
    static final java.util.Map<String, Process> MASTERS = new java.util.concurrent.ConcurrentHashMap<>();

    static Process masterProcess(Pair p) {
        return MASTERS.get(p.name());
    }

    static void startMaster(Pair p) throws Exception {
        MASTERS.put(p.name(), DetectionBench.redis(p.name() + "-master", p.masterPort(), null));
    }

    static boolean healthy(String target) throws Exception {
        String s = get(app + "/status?target=" + target, key);
        return s.contains("\"healthy\":true") && s.contains("\"failureStreak\":0");
    }

    static String get(String url, String auth) throws Exception {
        return DetectionBench.get(url, auth, Duration.ofSeconds(10));
    }

    static final Pattern SWAP = Pattern.compile(
            "\\{\"at\":\"([^\"]+)\",\"method\":\"POST\",\"path\":\"/v2/[^\"]+/instances/([^\"/]+)/swap\"");

    static int swapCalls(String instance) throws Exception {
        Matcher m = SWAP.matcher(get(sandbox + "/_sandbox/calls", null));
        int n = 0;
        while (m.find()) {
            n += m.group(2).equals(instance) ? 1 : 0;
        }
        return n;
    }

    static long lastSwapAgeMillis(String instance) throws Exception {
        Matcher m = SWAP.matcher(get(sandbox + "/_sandbox/calls", null));
        long last = 0;
        while (m.find()) {
            if (m.group(2).equals(instance)) {
                last = Math.max(last, java.time.Instant.parse(m.group(1)).toEpochMilli());
            }
        }
        return System.currentTimeMillis() - last;
    }
}
