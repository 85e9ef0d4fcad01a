package io.switchguard.notify;

import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP webhook receiver on a local port: records every POST, answers what the test says, can hang or go down. */
final class TestReceiver implements AutoCloseable {

    /** One POST as received: headers (lower-case names), the exact body bytes, the status answered. */
    record Request(Map<String, String> headers, byte[] body, int answered) {
        CloudEvent event() {
            return CloudEventJson.parse(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger hanging = new AtomicInteger();
    private volatile CountDownLatch hang;
    private ExecutorService executor;
    private HttpServer server;
    private int port;

    /** Starts on a free port. */
    static TestReceiver start() {
        TestReceiver r = new TestReceiver();
        r.listen(0);
        return r;
    }

    /** (Re)starts on a given port: the same URL as before a {@link #down()}. */
    synchronized void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + onPort, e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            CountDownLatch h = hang;
            if (h != null) {
                hanging.incrementAndGet();
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    hanging.decrementAndGet();
                }
            }
            int answer = status.get();
            synchronized (requests) {
                requests.add(new Request(headers, body, answer));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    synchronized boolean up() {
        return server != null;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    int port() {
        return port;
    }

    /** The status answered from now on. */
    void answer(int code) {
        status.set(code);
    }

    /** Every request from now on waits (up to 30 s) before answering, until {@link #release()}. */
    void hang() {
        hang = new CountDownLatch(1);
    }

    /** Requests being held right now by {@link #hang()}. */
    int hanging() {
        return hanging.get();
    }

    void release() {
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Stops listening: connections are refused until {@link #listen(int)} again. */
    synchronized void down() {
        release();
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests answered 2xx. */
    List<Request> accepted() {
        return requests().stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    void clear() {
        synchronized (requests) {
            requests.clear();
        }
    }

    @Override
    public void close() {
        down();
    }
}
