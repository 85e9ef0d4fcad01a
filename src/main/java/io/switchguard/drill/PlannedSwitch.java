package io.switchguard.drill;

import io.switchguard.config.Target;

/**
 * The planned switch of each kind, as a scheduled switchover or a drill calls it: DCS swap, DRS switch-vip, DWS
 * planned switchover (never the DWS failover: that is the exception path). A drill goes there and back: for DRS
 * the VIP moves to the DR side ("target") and back to "source"; swap and switchover trade the roles each time.
 */
record PlannedSwitch(String action, String mode) {

    /** A scheduled switchover: the kind's planned operation, with a DRS target's configured mode. */
    static PlannedSwitch of(Target t) {
        return switch (t.kind()) {
            case DCS, DCS_V1 -> new PlannedSwitch("swap", null);
            case DRS -> new PlannedSwitch("switch-vip", t.mode());
            case DWS -> new PlannedSwitch("switchover", null);
        };
    }

    /** A drill's first switch. */
    static PlannedSwitch away(Target t) {
        return t.kind() == io.switchguard.config.Kind.DRS ? new PlannedSwitch("switch-vip", "target") : of(t);
    }

    /** A drill's switch back. */
    static PlannedSwitch back(Target t) {
        return t.kind() == io.switchguard.config.Kind.DRS ? new PlannedSwitch("switch-vip", "source") : of(t);
    }
}
