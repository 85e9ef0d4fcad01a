import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Latency of a manual /swap against the sandbox, end to end over HTTP: auth, validation, lock, journal
 * writes, snapshot + swap + verification calls to the in-process simulator, answer.
 * Usage: java SwapBench.java <baseUrl> <apiKey> <sequentialCalls> <concurrentCallers> <callsPerCaller> [2|1.1]
 * The last argument is the client's HTTP version. 2 (h2c, the JDK client's default and how the README's figures are
 * taken) carries every caller over one connection, so one server event loop decodes all callers' frames; 1.1 gives
 * each caller a connection of its own, as separate processes have.
 */
public class SwapBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        int sequential = Integer.parseInt(args[2]);
        int callers = Integer.parseInt(args[3]);
        int perCaller = Integer.parseInt(args[4]);
        HttpClient.Version version = args.length > 5 && args[5].equals("1.1") ? HttpClient.Version.HTTP_1_1
                : HttpClient.Version.HTTP_2;
        HttpClient http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
        System.out.println("client: " + version);

        // Warm-up: JIT, connection pools, JDBC.
        int warmUp = args.length > 6 ? Integer.parseInt(args[6]) : 200;
        for (int i = 0; i < warmUp; i++) {
            swap(http, base, key, "bench-" + (i % callers));
        }

        List<Long> seq = new ArrayList<>();
        for (int i = 0; i < sequential; i++) {
            seq.add(swap(http, base, key, "bench-0"));
        }
        report(sequential + " sequential calls, one target", seq);
        // The process is still warming up through these calls (the JIT compiles the swap path as it runs): their
        // second half, apart, shows how much of the tail is the warm-up.
        report("  of them the last " + (sequential - sequential / 2), seq.subList(sequential / 2, sequential));

        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<List<Long>>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            String target = "bench-" + c;
            futures.add(pool.submit(() -> {
                List<Long> own = new ArrayList<>();
                for (int i = 0; i < perCaller; i++) {
                    own.add(swap(http, base, key, target));
                }
                return own;
            }));
        }
        List<Long> conc = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            conc.addAll(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        report(callers + " concurrent callers x " + perCaller + " calls, one target each", conc);
        System.out.printf("  throughput: %.0f swaps/s%n", conc.size() / seconds);
    }

    static long swap(HttpClient http, String base, String key, String target) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/swap"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"" + target + "\"}"))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        long micros = (System.nanoTime() - t0) / 1000;
        if (r.statusCode() != 200 || !r.body().contains("\"VERIFIED\"")) {
            throw new IllegalStateException("swap on " + target + " answered " + r.statusCode() + ": " + r.body());
        }
        return micros;
    }

    static void report(String what, List<Long> micros) {
        List<Long> s = new ArrayList<>(micros);
        Collections.sort(s);
        System.out.printf("%s:%n  n=%d  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms%n", what, s.size(),
                pct(s, 50), pct(s, 90), pct(s, 99), s.get(s.size() - 1) / 1000.0);
    }

    static double pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i)) / 1000.0;
    }
}
