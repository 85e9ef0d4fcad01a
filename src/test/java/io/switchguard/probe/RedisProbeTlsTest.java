package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.probe.RedisProbe.Role;
import io.switchguard.probe.RespClient.Tls;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import io.vertx.core.net.TrustOptions;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a canned Redis behind self-signed certificates made by keytool: one naming 127.0.0.1, one naming
 * another host. The name is checked unless skipping was asked for; the chain is checked always.
 */
class RedisProbeTlsTest {

    static final char[] STORE_PASSWORD = "changeit".toCharArray();
    static final String MASTER = "role:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n";

    @TempDir
    static Path dir;

    static SSLContext matching;
    static SSLContext elsewhere;

    @BeforeAll
    static void makeCertificates() throws Exception {
        matching = context(keystore("matching", "CN=127.0.0.1", "SAN=ip:127.0.0.1"));
        elsewhere = context(keystore("elsewhere", "CN=elsewhere.example", "SAN=dns:elsewhere.example"));
    }

    static KeyStore keystore(String name, String dname, String san) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext", san,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, STORE_PASSWORD);
        }
        return store;
    }

    /** The client side: trusts only the certificate in {@code store}'s key store. */
    static TrustOptions trusting(SSLContext server) {
        return TrustOptions.wrap(TRUST.get(server));
    }

    static final java.util.Map<SSLContext, TrustManagerFactory> TRUST = new java.util.HashMap<>();

    /** Serves with the key and trusts its own certificate (and nothing else). */
    static SSLContext context(KeyStore store) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        TRUST.put(context, trust);
        return context;
    }

    static ProbeResult probe(SSLContext server, Tls tls, TrustOptions client) throws Exception {
        try (FakeServer redis = FakeServer.start(server.getServerSocketFactory(), FakeServer.info(MASTER))) {
            return new RedisProbe(TestNet.NET, redis.address(), null, "pw", tls, Duration.ofSeconds(2), Role.MASTER, client, false).probe();
        }
    }

    @Test
    void certificateNamingTheHostIsAccepted() throws Exception {
        ProbeResult r = probe(matching, Tls.VERIFY, trusting(matching));

        assertTrue(r.up(), r.detail());
        assertEquals("master", r.role());
    }

    @Test
    void certificateNamingAnotherHostIsRefusedByDefault() throws Exception {
        ProbeResult r = probe(elsewhere, Tls.VERIFY, trusting(elsewhere));

        assertFalse(r.up());
        assertTrue(r.detail().startsWith("TLS failed: ") && r.detail().contains("127.0.0.1"), r.detail());
    }

    @Test
    void certificateNamingAnotherHostIsAcceptedOnlyWhenSkippingTheNameCheck() throws Exception {
        ProbeResult r = probe(elsewhere, Tls.SKIP_HOSTNAME_VERIFICATION, trusting(elsewhere));

        assertTrue(r.up(), r.detail());
    }

    @Test
    void untrustedCertificateIsRefusedEvenWhenSkippingTheNameCheck() throws Exception {
        // The client trusts only the "matching" certificate; the server shows the "elsewhere" one.
        ProbeResult r = probe(elsewhere, Tls.SKIP_HOSTNAME_VERIFICATION, trusting(matching));

        assertFalse(r.up());
        assertTrue(r.detail().startsWith("TLS failed: "), r.detail());
    }

    @Test
    void describeSaysTls() {
        assertEquals(List.of("redis 127.0.0.1:6379 (master, tls)", "redis 127.0.0.1:6379 (master)"), List.of(
                new RedisProbe(TestNet.NET, new HostPort("127.0.0.1", 6379), null, null, Tls.VERIFY, Duration.ofSeconds(1), Role.MASTER).describe(),
                new RedisProbe(TestNet.NET, new HostPort("127.0.0.1", 6379), null, null, Tls.OFF, Duration.ofSeconds(1), Role.MASTER).describe()));
    }
}
