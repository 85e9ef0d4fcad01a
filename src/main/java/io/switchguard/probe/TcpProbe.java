package io.switchguard.probe;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** UP when a TCP connection to host:port is accepted within the timeout (name lookup included). */
public final class TcpProbe implements AsyncProbe {

    private final Net net;
    private final HostPort address;
    private final Duration timeout;

    public TcpProbe(Net net, HostPort address, Duration timeout) {
        this.net = Objects.requireNonNull(net, "net");
        this.address = Objects.requireNonNull(address, "address");
        this.timeout = Timing.positive(timeout);
    }

    @Override
    public String describe() {
        return "tcp " + address;
    }

    @Override
    public CompletionStage<ProbeResult> run() {
        long start = System.nanoTime();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        long timer = net.timer(timeout, () -> result.complete(ProbeResult.down(Timing.timedOut(timeout), Timing.since(start))));
        net.client(RespClient.Tls.OFF, null).connect(address.port(), address.host()).onComplete(connected -> {
            net.cancel(timer);
            if (connected.succeeded()) {
                connected.result().close();
                result.complete(ProbeResult.up("connected", Timing.since(start)));
            } else {
                result.complete(ProbeResult.down(Net.describe(connected.cause()), Timing.since(start)));
            }
        });
        return result;
    }

    @Override
    public String toString() {
        return "TcpProbe[" + address + ", timeout " + timeout + "]";
    }
}
