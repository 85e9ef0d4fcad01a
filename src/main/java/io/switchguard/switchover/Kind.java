package io.switchguard.switchover;

import java.util.Arrays;
import java.util.Optional;

/** The four switchover kinds (CONTRACT §1): configuration name, function name, cloud service. */
public enum Kind {
    DCS("dcs", "swap", "dcs", "instance-id"),
    DCS_V1("dcs-v1", "swap", "dcs", "instance-id"),
    DRS("drs", "switch-vip", "drs", "job-id"),
    DWS("dws", "failover", "dws", "disaster-recovery-id");

    private final String id;
    private final String action;
    private final String service;
    private final String resourceKey;

    Kind(String id, String action, String service, String resourceKey) {
        this.id = id;
        this.action = action;
        this.service = service;
        this.resourceKey = resourceKey;
    }

    public String id() {
        return id;
    }

    /** The function that performs it: swap, switch-vip, failover. */
    public String action() {
        return action;
    }

    /** Endpoint service name: dcs, drs, dws. */
    public String service() {
        return service;
    }

    /** The target key that names the cloud resource. */
    public String resourceKey() {
        return resourceKey;
    }

    public static Optional<Kind> parse(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
}
