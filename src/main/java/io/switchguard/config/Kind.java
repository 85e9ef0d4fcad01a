package io.switchguard.config;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The four switchover kinds (CONTRACT §1): configuration name, function name, cloud service, and the manual
 * operations a kind has beside its own (DWS: the planned switchover). Each is served by a slice under
 * io.switchguard.kinds, found through CDI; KindRegistrationTest fails when one is missing.
 */
public enum Kind {
    DCS("dcs", "swap", "dcs", "instance-id"),
    DCS_V1("dcs-v1", "swap", "dcs", "instance-id"),
    DRS("drs", "switch-vip", "drs", "job-id"),
    DWS("dws", "failover", "dws", "disaster-recovery-id", "switchover");

    private final String id;
    private final String action;
    private final String service;
    private final String resourceKey;
    private final List<String> manual;

    Kind(String id, String action, String service, String resourceKey, String... manual) {
        this.id = id;
        this.action = action;
        this.service = service;
        this.resourceKey = resourceKey;
        this.manual = List.of(manual);
    }

    public String id() {
        return id;
    }

    /** The function that performs it: swap, switch-vip, failover. */
    public String action() {
        return action;
    }

    /** Every operation of the kind: its own action first, then the manual-only ones. */
    public Set<String> actions() {
        Set<String> all = new LinkedHashSet<>();
        all.add(action);
        all.addAll(manual);
        return all;
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
