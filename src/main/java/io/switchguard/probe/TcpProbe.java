package io.switchguard.probe;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

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
        ChannelFuture connect = net.connect(address);
        Channel channel = connect.channel();
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            // A connect still pending at the timeout is given up here, the only bound it has: Vert.x's client left
            // it to its own 60 s timeout, so a target that drops SYNs kept a half-open socket a probe for a minute.
            if (result.complete(ProbeResult.down(Timing.timedOut(timeout), Timing.since(start)))) {
                channel.close();
            }
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        connect.addListener(connected -> {
            timer.cancel(false);
            if (connected.isSuccess()) {
                // Closed on the loop's next turn: closed inside the connect listener, Netty still holds the connect
                // promise and fails it with a new ClosedChannelException, whose stack trace was an eighth of all
                // the checker's allocation at 10,000 targets a second.
                channel.eventLoop().execute(channel::close);
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
