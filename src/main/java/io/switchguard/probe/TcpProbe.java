package io.switchguard.probe;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/** UP when a TCP connection to host:port is accepted within the timeout (name lookup included). */
public final class TcpProbe implements Probe {

    private final HostPort address;
    private final Duration timeout;

    public TcpProbe(HostPort address, Duration timeout) {
        this.address = Objects.requireNonNull(address, "address");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        Deadline.after(timeout);
    }

    @Override
    public String describe() {
        return "tcp " + address;
    }

    @Override
    public ProbeResult probe() {
        Deadline deadline = Deadline.after(timeout);
        try (Socket ignored = Net.connect(address, deadline)) {
            return ProbeResult.up("connected", deadline.elapsed());
        } catch (IOException e) {
            return ProbeResult.down(Net.describe(e, deadline), deadline.elapsed());
        } catch (RuntimeException e) {
            return ProbeResult.down("probe failed: " + e, deadline.elapsed());
        }
    }

    @Override
    public String toString() {
        return "TcpProbe[" + address + ", timeout " + timeout + "]";
    }
}
