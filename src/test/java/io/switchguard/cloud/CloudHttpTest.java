package io.switchguard.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.TestConfigs;
import io.vertx.core.Vertx;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud's HTTP against real local servers: what is sent, and what is refused before anything is sent. */
class CloudHttpTest {

    private Vertx vertx;
    private CloudHttp http;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        SwitchguardConfig config = TestConfigs.of(Map.of("switchguard.cloud.read-timeout", "2s",
                "switchguard.cloud.connect-timeout", "1s")).getConfigMapping(SwitchguardConfig.class);
        http = new CloudHttp(vertx, config);
    }

    @AfterEach
    void stop() {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theHostHeaderGoesAsSignedNotAsTheClientWouldWriteIt() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            received.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " host=" + ex.getRequestHeaders().getFirst("Host"));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Request-Id", "r-1");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/p1/instances/i1");
            // A signature over "dcs.example" (a default port is left out of Host) must meet the same Host.
            CloudHttp.Exchange answer = http.send("GET", uri, Map.of("Host", "dcs.example"), new byte[0]);

            assertEquals(200, answer.status());
            assertEquals("{\"ok\":true}", answer.body());
            assertEquals("r-1", answer.headers().get("X-Request-Id"));
            // Without one: the authority the signer signs when it is given none, here with its (non-default) port.
            http.send("GET", uri, Map.of(), new byte[0]);
            assertEquals(List.of("GET /v2/p1/instances/i1 host=dcs.example",
                    "GET /v2/p1/instances/i1 host=" + AkSkSigner.hostOf(uri)), received);
            assertEquals("127.0.0.1:" + server.getAddress().getPort(), AkSkSigner.hostOf(uri));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCertificateTheJdkDoesNotTrustIsRefusedBeforeTheRequestIsWritten(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        // keytool ships with every JDK: a self-signed certificate for localhost, in no trust store.
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertEquals(0, keytool.waitFor());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", ex -> {
            received.add(ex.getRequestURI().toString());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/v2/p1/instances/i1/swap");

            CloudHttp.NotSentException refused = assertThrows(CloudHttp.NotSentException.class,
                    () -> http.send("POST", uri, Map.of("Host", uri.getAuthority()), new byte[0]));

            assertInstanceOf(SSLHandshakeException.class, refused.getCause());
            assertEquals(List.of(), received, "a request reached a server whose certificate is not trusted");
        } finally {
            server.stop(0);
        }
    }

    /**
     * A call that waits for one of the endpoint's pooled connections (all busy with reads the cloud is slow to answer)
     * is given up by its caller: it must then never be written later, when a connection frees up. Its fence was
     * checked before it queued; a swap written seconds after its caller gave up is a call nobody fenced.
     */
    @Test
    void aCallThatGotNoConnectionInTimeIsNeverWrittenLater() throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 1000, java.net.InetAddress.getByName("127.0.0.1"));
        List<String> lines = new CopyOnWriteArrayList<>();
        List<java.net.Socket> open = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            // Reads each request line and never answers: a cloud that hangs.
            while (!server.isClosed()) {
                try {
                    java.net.Socket s = server.accept();
                    open.add(s);
                    Thread t = new Thread(() -> {
                        try {
                            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                                    StandardCharsets.US_ASCII));
                            for (String line; (line = in.readLine()) != null; ) {
                                if (line.startsWith("GET ") || line.startsWith("POST ")) {
                                    lines.add(System.nanoTime() + " " + line);
                                }
                            }
                        } catch (java.io.IOException e) {
                            // closed
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(300);
        try {
            String base = "http://127.0.0.1:" + server.getLocalPort();
            // Six times the pool's connections in status reads: most of them wait for a connection.
            for (int i = 0; i < 300; i++) {
                callers.submit(() -> {
                    try {
                        http.send("GET", URI.create(base + "/v2/p/instances/i/read"), Map.of(), new byte[0]);
                    } catch (Exception e) {
                        // timed out or not sent: either way this caller is done with it
                    }
                });
            }
            Thread.sleep(200);
            Exception swap = assertThrows(Exception.class,
                    () -> http.send("POST", URI.create(base + "/v2/p/instances/i/swap"), Map.of(), new byte[0]));
            long gaveUp = System.nanoTime();
            // The reads go on failing and freeing connections for a while: the swap must not be among what follows.
            Thread.sleep(8000);
            List<Long> lateBy = lines.stream().filter(l -> l.contains("/swap"))
                    .map(l -> (Long.parseLong(l.substring(0, l.indexOf(' '))) - gaveUp) / 1_000_000)
                    .filter(ms -> ms > 0).toList();
            assertEquals(List.of(), lateBy, "the swap was written this many ms after its caller gave up on it ("
                    + swap + ")");
            assertInstanceOf(CloudHttp.NotSentException.class, swap, "no connection was had: nothing was sent");
        } finally {
            callers.shutdownNow();
            server.close();
            open.forEach(s -> {
                try {
                    s.close();
                } catch (java.io.IOException e) {
                    // closing
                }
            });
        }
    }
}
