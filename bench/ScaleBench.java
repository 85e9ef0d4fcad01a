import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helper for bench/scale.sh, two modes:
 *
 * listen <count> <portFile>: binds count TCP listeners on 127.0.0.1 (ephemeral ports, one NIO selector that
 * accepts and closes at once), writes their ports one a line to portFile, then serves until killed.
 *
 * measure <baseUrl> <apiKey> <pid> <targets> <seconds>: over a window of the given length, the rate of checks
 * the app did (switchguard_probe_total summed over targets, scraped every SCRAPE (5) s, least-squares slope) and how many
 * of them came out down (a local listener never refuses, so every down is a false alarm), the app's CPU time (utime+stime
 * from /proc/pid/stat) and its max VmRSS (sampled every 250 ms); then, after the window, the oldest
 * lastProbeAt among the targets in /status (three samples). Prints one table row.
 */
public class ScaleBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "listen" -> listen(Integer.parseInt(args[1]), Path.of(args[2]));
            case "measure" -> measure(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "header" -> System.out.println(header());
            case "ping" -> ping(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("listen | measure | header | ping");
        }
    }

    // ---- listeners --------------------------------------------------------------------------------------

    static void listen(int count, Path portFile) throws IOException {
        Selector selector = Selector.open();
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            ports.add(String.valueOf(((InetSocketAddress) server.getLocalAddress()).getPort()));
        }
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.write(tmp, ports);
        Files.move(tmp, portFile);
        while (true) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel c;
                while ((c = ((ServerSocketChannel) key.channel()).accept()) != null) {
                    c.close();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Exits 0 when a Redis on 127.0.0.1:port answers PING. */
    static void ping(int port) throws IOException {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] answer = new byte[7];
            int n = s.getInputStream().readNBytes(answer, 0, 7);
            if (!new String(answer, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("+PONG")) {
                System.exit(1);
            }
        }
    }

    // ---- measurement ------------------------------------------------------------------------------------

    static final Pattern PROBE_LINE = Pattern.compile("(?m)^switchguard_probe_total(\\{[^}]*})\\s+([0-9.eE+-]+)");
    /** A scrape every 5 s (SCRAPE=seconds): at 10,000 targets each renders some 50,000 series, CPU the app spends. */
    static final long SCRAPE_NANOS = Long.parseLong(System.getenv().getOrDefault("SCRAPE", "5")) * 1_000_000_000L;
    static final Pattern LAST_PROBE = Pattern.compile("\"lastProbeAt\"\\s*:\\s*(\"[^\"]*\"|[0-9.eE+-]+|null)");
    static final long TICKS = 100; // USER_HZ: /proc/<pid>/stat counts in 1/100 s on Linux

    static String header() {
        return String.format("%6s %10s %8s %8s %8s %14s %9s %10s %8s %8s", "N", "checks/s", "expected", "missed%",
                "down", "maxAge(s)", "statusMs", "CPU cores", "RSS MB", "threads");
    }

    static void measure(String base, String key, long pid, int n, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Checks fire in bursts (the scheduler looks at its triggers once a second), so two scrapes alone are off
        // by up to one burst: the rate is the least-squares slope over a scrape every SCRAPE seconds.
        List<double[]> points = new ArrayList<>();
        long t0 = System.nanoTime();
        double[] first = checks(http, base, key);
        if (first != null) {
            points.add(new double[] {(first[2] - t0) / 1e9, first[0]});
        }
        long cpu0 = cpuTicks(pid);
        long end = t0 + seconds * 1_000_000_000L;
        long nextScrape = t0 + SCRAPE_NANOS;
        long rss = 0;
        int threads = 0;
        double[] last = first;
        while (System.nanoTime() < end) {
            rss = Math.max(rss, statusField(pid, "VmRSS:"));
            threads = Math.max(threads, (int) statusField(pid, "Threads:"));
            Thread.sleep(250);
            long now = System.nanoTime();
            if (now >= nextScrape) {
                double[] c = checks(http, base, key);
                if (c != null) {
                    points.add(new double[] {(c[2] - t0) / 1e9, c[0]});
                    first = first == null ? c : first;
                    last = c;
                }
                nextScrape = Math.max(nextScrape + SCRAPE_NANOS, System.nanoTime());
            }
        }
        long cpu1 = cpuTicks(pid);
        double wall = (System.nanoTime() - t0) / 1e9;
        double[] c = checks(http, base, key);
        if (c != null) {
            points.add(new double[] {(c[2] - t0) / 1e9, c[0]});
            first = first == null ? c : first;
            last = c;
        }
        rss = Math.max(rss, statusField(pid, "VmRSS:"));
        double rate = points.size() >= 2 ? slope(points) : Double.NaN;
        double down = first != null && last != null ? last[1] - first[1] : Double.NaN;
        if (points.size() < 3) {
            System.err.printf("warning: only %d of the /q/metrics scrapes answered in time%n", points.size());
        }

        // Lateness after the window (building /status for N targets costs CPU of its own, kept out of the figure).
        double maxAge = 0;
        long statusMs = 0;
        int nulls = 0;
        for (int i = 0; i < 3; i++) {
            long s0 = System.nanoTime();
            String body;
            try {
                body = get(http, base + "/status", key, Duration.ofSeconds(30));
            } catch (Exception e) {
                System.err.println("warning: /status: " + e);
                maxAge = Double.NaN;
                break;
            }
            Instant answered = Instant.now();
            statusMs = Math.max(statusMs, (System.nanoTime() - s0) / 1_000_000);
            Matcher m = LAST_PROBE.matcher(body);
            int seen = 0;
            nulls = 0;
            while (m.find()) {
                seen++;
                Instant at = instant(m.group(1));
                if (at == null) {
                    nulls++;
                    continue;
                }
                maxAge = Math.max(maxAge, Duration.between(at, answered).toMillis() / 1000.0);
            }
            if (seen != n) {
                System.err.printf("warning: /status listed %d lastProbeAt, expected %d%n", seen, n);
            }
            Thread.sleep(300);
        }
        double missed = Double.isNaN(rate) ? Double.NaN : Math.max(0, 100.0 * (n - rate) / n);
        String age = String.format("%.2f", maxAge) + (nulls > 0 ? " (" + nulls + " never)" : "");
        System.out.printf("%6d %10.1f %8d %8.1f %8.0f %14s %9d %10.2f %8d %8d%n", n, rate, n, missed, down, age,
                statusMs, (cpu1 - cpu0) / (double) TICKS / wall, rss / 1024, threads);
    }

    static Instant instant(String raw) {
        if (raw.equals("null")) {
            return null;
        }
        if (raw.startsWith("\"")) {
            return Instant.parse(raw.substring(1, raw.length() - 1));
        }
        double epochSeconds = Double.parseDouble(raw); // Jackson's numeric Instant: seconds.nanos
        return Instant.ofEpochSecond((long) epochSeconds, Math.round((epochSeconds % 1) * 1e9));
    }

    /**
     * The probes counted so far, those that found the target down, and when the count was taken: the middle of the
     * scrape. Every point is timed the same way; the last one was timed after its answer and the others before
     * theirs, which at a 100 ms scrape over a 30 s window read as 0.3 % of "missed" checks that had all run.
     */
    static double[] checks(HttpClient http, String base, String key) {
        String body;
        long asked = System.nanoTime();
        long answered;
        try {
            body = get(http, base + "/q/metrics", key, Duration.ofSeconds(30));
            answered = System.nanoTime();
        } catch (Exception e) {
            System.err.println("warning: /q/metrics: " + e);
            return null;
        }
        Matcher m = PROBE_LINE.matcher(body);
        double sum = 0;
        double down = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            sum += v;
            if (m.group(1).contains("result=\"down\"")) {
                down += v;
            }
        }
        return new double[] {sum, down, asked + (answered - asked) / 2.0};
    }

    static double slope(List<double[]> points) {
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= points.size();
        my /= points.size();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }

    static String get(HttpClient http, String url, String key, Duration timeout) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + key).GET().build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14, 15: utime, stime
    }

    /** A line of /proc/pid/status in its unit (kB for VmRSS). */
    static long statusField(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }
}
