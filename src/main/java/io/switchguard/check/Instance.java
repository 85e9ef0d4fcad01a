package io.switchguard.check;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;

/** This replica's identity, shown in /status and used as the owner of locks it takes. */
@ApplicationScoped
public class Instance {

    private final String id;
    private final Instant started = Instant.now();

    public Instance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        this.id = host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public String id() {
        return id;
    }

    public Instant started() {
        return started;
    }
}
