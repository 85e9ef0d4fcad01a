package io.switchguard.probe;

import io.switchguard.probe.RespClient.Reply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The probes' RESP client, waited on: for tests that set a server up or talk to it. */
public final class BlockingResp implements AutoCloseable {

    private final RespClient client;
    private final Duration timeout;

    private BlockingResp(RespClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    public static BlockingResp connect(HostPort address, Duration timeout) throws Exception {
        return new BlockingResp(RespClient.connect(TestNet.NET, address, RespClient.Tls.OFF, null).toCompletableFuture()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS), timeout);
    }

    public Reply auth(String user, String password) throws Exception {
        return client.auth(user, password).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Reply ping() throws Exception {
        return call("PING");
    }

    public Reply info(String section) throws Exception {
        return call("INFO", section);
    }

    public Reply call(String... args) throws Exception {
        return client.call(args).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        client.close();
    }
}
