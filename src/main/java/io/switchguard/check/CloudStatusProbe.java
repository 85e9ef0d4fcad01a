package io.switchguard.check;

import io.switchguard.config.Target;
import io.switchguard.probe.Probe;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;

/** A kind's status reader run as a probe of one target: what the observer schedules beside the data plane. */
final class CloudStatusProbe implements Probe {

    private final CloudStatusReader reader;
    private final Target target;

    CloudStatusProbe(CloudStatusReader reader, Target target) {
        this.reader = reader;
        this.target = target;
    }

    @Override
    public String describe() {
        return "cloud " + target.kind().service() + " status";
    }

    @Override
    public ProbeResult probe() {
        long t0 = System.nanoTime();
        ProbeResult r = reader.read(target);
        return new ProbeResult(r.health(), r.detail(), Duration.ofNanos(System.nanoTime() - t0), r.role(),
                r.masterLinkUp(), r.lagBytes(), r.lag(), r.lastSync());
    }
}
