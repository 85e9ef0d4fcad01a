import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failure detection latency: kill -9 of a real Redis master -> the moment a switchover starts.
 * <ul>
 * <li>switchguard: kill -> the swap POST arriving at the sandbox cloud simulator (its /_sandbox/calls "at").</li>
 * <li>Redis Sentinel (same redis-server binary, down-after = threshold x interval, quorum 1): kill -> the
 * {@code +try-failover} event on the Sentinel's pub/sub, received over a raw RESP SUBSCRIBE.</li>
 * </ul>
 * Every kill happens after a random 0..1 s wait once the deployment is healthy, so its phase against the probe
 * schedule (switchguard) and the PING period (Sentinel) is uniform.
 * <p>
 * Usage: {@code java DetectionBench.java ports <n>} prints n free ports;
 * {@code java DetectionBench.java run <redis-server> <workDir> <appUrl> <apiKey> <target> <sandboxUrl>
 * <masterPort> <replicaPort> <trials> <floorMs>}. Every process it starts is appended to workDir/pids (the
 * caller's trap kills them) and destroyed by a shutdown hook.
 */
public class DetectionBench {

    /** HTTP/1.1 only: the JDK client's h2c upgrade, from many threads at once, trips over the simulator's answers. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();
    static Path work;
    static String redisServer;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("ports")) {
            List<ServerSocket> held = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                System.out.print((i == 0 ? "" : " ") + s.getLocalPort());
            }
            System.out.println();
            for (ServerSocket s : held) {
                s.close();
            }
            return;
        }
        redisServer = args[1];
        work = Path.of(args[2]);
        String app = args[3];
        String key = args[4];
        String target = args[5];
        String sandbox = args[6];
        int masterPort = Integer.parseInt(args[7]);
        int replicaPort = Integer.parseInt(args[8]);
        int trials = Integer.parseInt(args[9]);
        long floor = Long.parseLong(args[10]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly)));

        List<Long> sg = switchguard(app, key, target, sandbox, masterPort, replicaPort, trials);
        List<Long> sen = sentinel(trials, floor);

        System.out.println();
        System.out.printf("kill -9 of the Redis master -> switchover started (%d trials each; floor = threshold x "
                + "interval = %d ms; goal p99 <= floor + 300 = %d ms)%n", trials, floor, floor + 300);
        System.out.println("| detector                                   |    n |   min |   p50 |   p90 |   p99 |   max | "
                + "p50-floor | p99-floor |");
        System.out.println("|--------------------------------------------|------|-------|-------|-------|-------|-------|"
                + "-----------|-----------|");
        row("switchguard (kill -> swap POST received)", sg, floor);
        row("Sentinel 6.2 (kill -> +try-failover)", sen, floor);
        if (!sg.isEmpty() && !sen.isEmpty()) {
            System.out.printf("ratio of medians switchguard / Sentinel: %.2f%n",
                    (double) pct(sorted(sg), 50) / pct(sorted(sen), 50));
        }
        if (!sg.isEmpty()) {
            long p99 = pct(sorted(sg), 99);
            System.out.printf("switchguard goal p99 <= %d ms: %s (p99 %d ms)%n", floor + 300,
                    p99 <= floor + 300 ? "MET" : "MISSED", p99);
        }
        System.out.println("raw switchguard ms: " + sg);
        System.out.println("raw Sentinel ms:    " + sen);
    }

    // ---------------------------------------------------------------- switchguard

    static List<Long> switchguard(String app, String key, String target, String sandbox, int masterPort,
            int replicaPort, int trials) throws Exception {
        Process master = redis("sg-master", masterPort, null);
        redis("sg-replica", replicaPort, masterPort);
        List<Long> out = new ArrayList<>();
        Instant lastSwap = Instant.EPOCH;
        int failures = 0;
        for (int i = 0; i < trials; i++) {
            long deadline = System.currentTimeMillis() + 60_000;
            // healthy, no streak, replica attached, cooldown (2 s) passed
            while (!(linkUp(replicaPort) && healthy(app, key, target)
                    && Instant.now().isAfter(lastSwap.plusMillis(2_500)))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("target " + target + " not healthy within 60 s: "
                            + get(app + "/status?target=" + target, key));
                }
                Thread.sleep(100);
            }
            delete(sandbox + "/_sandbox/calls");
            Thread.sleep(ThreadLocalRandom.current().nextLong(1000));
            long kill = System.currentTimeMillis();
            master.destroyForcibly();
            master.waitFor();
            Instant swap = null;
            long until = kill + 30_000;
            while (swap == null && System.currentTimeMillis() < until) {
                Thread.sleep(20);
                swap = swapCall(get(sandbox + "/_sandbox/calls", null));
            }
            if (swap == null) {
                failures++;
                System.out.printf("switchguard trial %2d: no swap within 30 s%n", i + 1);
            } else {
                long ms = swap.toEpochMilli() - kill;
                out.add(ms);
                lastSwap = swap;
                System.out.printf("switchguard trial %2d: %5d ms%n", i + 1, ms);
            }
            master = redis("sg-master", masterPort, null);
            if (failures > 3) {
                throw new IllegalStateException("too many trials without a swap");
            }
        }
        return out;
    }

    static final Pattern CALL = Pattern.compile("\\{\"at\":\"([^\"]+)\",\"method\":\"POST\",\"path\":\"/v2/[^\"]+/swap\"");

    static Instant swapCall(String calls) {
        Matcher m = CALL.matcher(calls);
        return m.find() ? Instant.parse(m.group(1)) : null;
    }

    static boolean healthy(String app, String key, String target) throws Exception {
        String s = get(app + "/status?target=" + target, key);
        return s.contains("\"healthy\":true") && s.contains("\"failureStreak\":0");
    }

    static String get(String url, String key) throws Exception {
        return get(url, key, Duration.ofSeconds(5));
    }

    /** The body of a GET, with the bearer key when there is one. */
    static String get(String url, String key, Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static void delete(String url) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).DELETE().timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    // ---------------------------------------------------------------- Sentinel

    /** A fresh master, replica and Sentinel per trial: no leftover roles, epochs or failover timers. */
    static List<Long> sentinel(int trials, long downAfter) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            String[] p = freePorts(3);
            int mp = Integer.parseInt(p[0]), rp = Integer.parseInt(p[1]), sp = Integer.parseInt(p[2]);
            Process master = redis("sen-master", mp, null);
            Process replica = redis("sen-replica", rp, mp);
            Path conf = work.resolve("sentinel-" + i + ".conf");
            Files.writeString(conf, "port " + sp + "\nbind 127.0.0.1\ndir " + work + "\n"
                    + "sentinel monitor m 127.0.0.1 " + mp + " 1\n"
                    + "sentinel down-after-milliseconds m " + downAfter + "\n"
                    + "sentinel failover-timeout m 10000\n");
            Process sentinel = start("sentinel", List.of(redisServer, conf.toString(), "--sentinel"), sp);
            Map<String, Long> events = new ConcurrentHashMap<>();
            Socket sub = new Socket();
            sub.connect(new InetSocketAddress("127.0.0.1", sp), 2000);
            send(sub.getOutputStream(), "SUBSCRIBE", "+sdown", "+odown", "+try-failover", "+switch-master");
            InputStream in = new BufferedInputStream(sub.getInputStream());
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        Object msg = read(in);
                        long now = System.currentTimeMillis();
                        if (msg instanceof List<?> l && l.size() == 3 && "message".equals(l.get(0))
                                && String.valueOf(l.get(2)).startsWith("master m ")) {
                            events.putIfAbsent(String.valueOf(l.get(1)), now);
                        }
                    }
                } catch (IOException e) {
                    // socket closed at the end of the trial
                }
            });
            reader.setDaemon(true);
            reader.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!(linkUp(rp) && sentinelReady(sp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("sentinel trial " + (i + 1) + ": not ready within 30 s");
                }
                Thread.sleep(100);
            }
            Thread.sleep(1000 + ThreadLocalRandom.current().nextLong(1000));
            long kill = System.currentTimeMillis();
            master.destroyForcibly();
            master.waitFor();
            long until = kill + 30_000;
            while (!events.containsKey("+try-failover") && System.currentTimeMillis() < until) {
                Thread.sleep(10);
            }
            Long tf = events.get("+try-failover");
            if (tf == null) {
                System.out.printf("sentinel    trial %2d: no +try-failover within 30 s (events %s)%n", i + 1, events);
            } else {
                out.add(tf - kill);
                System.out.printf("sentinel    trial %2d: %5d ms  (+sdown %d, +odown %d)%n", i + 1, tf - kill,
                        events.getOrDefault("+sdown", -1L) - kill, events.getOrDefault("+odown", -1L) - kill);
            }
            sub.close();
            for (Process pr : List.of(sentinel, replica)) {
                pr.destroyForcibly();
                pr.waitFor();
                CHILDREN.remove(pr);
            }
            CHILDREN.remove(master);
        }
        return out;
    }

    static boolean sentinelReady(int port) {
        try {
            Object r = command(port, "SENTINEL", "MASTER", "m");
            if (!(r instanceof List<?> l)) {
                return false;
            }
            String flags = null, slaves = null, lastOk = null;
            for (int k = 0; k + 1 < l.size(); k += 2) {
                switch (String.valueOf(l.get(k))) {
                    case "flags" -> flags = String.valueOf(l.get(k + 1));
                    case "num-slaves" -> slaves = String.valueOf(l.get(k + 1));
                    case "last-ok-ping-reply" -> lastOk = String.valueOf(l.get(k + 1));
                    default -> { }
                }
            }
            return "master".equals(flags) && slaves != null && Integer.parseInt(slaves) >= 1 && lastOk != null
                    && Long.parseLong(lastOk) < 1500;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- processes and RESP

    static Process redis(String name, int port, Integer replicaOf) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(redisServer, "--port", "" + port, "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0",
                "--dir", work.toString()));
        if (replicaOf != null) {
            cmd.addAll(List.of("--replicaof", "127.0.0.1", "" + replicaOf));
        }
        return start(name, cmd, port);
    }

    static Process start(String name, List<String> cmd, int port) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile())).start();
        CHILDREN.add(p);
        Files.writeString(work.resolve("pids"), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                if ("PONG".equals(command(port, "PING"))) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " on port " + port + " did not start; see "
                        + work.resolve(name + ".log"));
            }
            Thread.sleep(20);
        }
    }

    static String[] freePorts(int n) throws IOException {
        String[] out = new String[n];
        List<ServerSocket> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            held.add(s);
            out[i] = "" + s.getLocalPort();
        }
        for (ServerSocket s : held) {
            s.close();
        }
        return out;
    }

    static boolean linkUp(int replicaPort) {
        try {
            return String.valueOf(command(replicaPort, "INFO", "replication")).contains("master_link_status:up");
        } catch (IOException e) {
            return false;
        }
    }

    static Object command(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            send(s.getOutputStream(), args);
            return read(new BufferedInputStream(s.getInputStream()));
        }
    }

    static void send(OutputStream out, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("closed");
        }
        String line = line(in);
        switch (type) {
            case '+', ':':
                return line;
            case '-':
                return "ERR " + line;
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] buf = in.readNBytes(n + 2);
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(read(in));
                }
                return l;
            }
            default:
                throw new IOException("bad RESP type " + (char) type);
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("closed");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }

    // ---------------------------------------------------------------- figures

    static List<Long> sorted(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    static long pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i));
    }

    static void row(String what, List<Long> l, long floor) {
        if (l.isEmpty()) {
            System.out.printf("| %-42s |    0 | (no successful trial)%n", what);
            return;
        }
        List<Long> s = sorted(l);
        System.out.printf("| %-42s | %4d | %5d | %5d | %5d | %5d | %5d | %+9d | %+9d |%n", what, s.size(), s.get(0),
                pct(s, 50), pct(s, 90), pct(s, 99), s.get(s.size() - 1), pct(s, 50) - floor, pct(s, 99) - floor);
    }
}
