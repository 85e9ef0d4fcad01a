package io.switchguard.policy;

import java.util.Objects;

/**
 * Where every evaluation ends, "nothing to do" included.
 *
 * @param diagnosis    what the signals say
 * @param verdict      what to do about it
 * @param reason       one sentence naming the numbers; logged once per cycle, journaled, shown in /status, and the
 *                     rejection text of a REJECTED action
 * @param breach       the target is in an unhealthy episode (a breach started and has not recovered yet); a breach
 *                     that a guard refused is still a breach
 * @param stateChanged healthy flipped this cycle: emit io.switchguard.target.unhealthy (breach) or .recovered
 * @param guard        the guard that said no ("auto", "paused", "isolation", "self-distrust", "preflight",
 *                     "cooldown", "standby-unhealthy", "standby-behind", "data-loss", "budget"; "approval" when an
 *                     operator denied the episode's approval or its deadline gave up), or null
 */
public record Decision(Diagnosis diagnosis, Verdict verdict, String reason, boolean breach, boolean stateChanged,
                       String guard) {

    public Decision {
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }
}
