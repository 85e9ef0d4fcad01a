package io.switchguard.policy;

import static io.switchguard.policy.Texts.bytes;
import static io.switchguard.policy.Texts.detail;
import static io.switchguard.policy.Texts.duration;

import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The failover policy, read top to bottom like Patroni's run cycle: count the probe into the streaks, decide whether
 * a breach starts, holds or recovers, diagnose it, look for an independent second signal, then ask the guards. Every
 * path ends in a {@link Decision} whose reason is one sentence naming the numbers.
 *
 * <p>Rules this class commits to (each has a table row in PolicyTest):
 * <ul>
 *   <li><b>Streaks with hysteresis.</b> A failed probe adds to the failure streak; a probe with lag over max-lag adds
 *       to the lag streak. Only recoveryThreshold healthy probes in a row reset both, so one lucky probe in a flapping
 *       streak does not: F,F,S,F with threshold 3 breaches, while one failure in three never does.</li>
 *   <li><b>Breach episodes.</b> A streak reaching failureThreshold starts an episode (healthy flips to false,
 *       {@code breaches} counts it once, stateChanged). The episode lasts, whatever the verdict, until
 *       recoveryThreshold healthy probes in a row (RECOVERED, stateChanged). Guards never reset streaks.</li>
 *   <li><b>Two signals.</b> A failure breach is actionable only when a second, independent signal agrees: the cloud
 *       reports the primary down, or the standby reports its master link down. When the other signal disagrees the
 *       diagnosis says so and the verdict is ALERT. <em>Single signal:</em> when no second signal is configured or
 *       available at all (no cloud status, no standby view with a known link) the breach is
 *       PRIMARY_DOWN_UNCONFIRMED and is alerted, never acted on: CONTRACT §5 makes the second signal the condition of
 *       an automatic action, and a false failover costs more than a late one (the manual functions remain). The same
 *       holds for a breach seen only by the cloud status (no data-plane probe configured): it is the cloud's own
 *       view, the reason says it is unconfirmed by a data-plane probe, and it is acted on only when the standby
 *       confirms its master link is down.</li>
 *   <li><b>The cloud's vocabulary</b> (check/StatusVocabulary): only a DOWN cloud status confirms. A TRANSITIONAL
 *       one (restarting, resizing, switching over, frozen) holds every automatic action while it lasts, whatever
 *       the standby says (CLOUD_TRANSITIONAL, alert only), and as the only primary signal it counts nothing. An
 *       UNKNOWN one (unreadable, outside the vocabulary) is no signal: neither confirmation nor "cloud says
 *       running".</li>
 *   <li><b>Lag is never switched over.</b> A lag breach is LAGGING and alerted: promoting a standby that is behind
 *       loses data.</li>
 *   <li><b>Guards</b>, in {@link #AUTO_GUARDS} order after a confirmed breach: auto off (ALERT), paused, isolation,
 *       self-distrust (late loop, warm-up), preflight, cooldown, standby unhealthy, standby behind, data loss, the
 *       fleet-wide budget, the group's budget (REJECTED). Standby-unhealthy comes before the lag guards because an
 *       unreachable standby reports no lag, and the refusal should name the cause.</li>
 *   <li><b>Approval mode</b> (auto: approve): a breach every guard let through is AWAIT_APPROVAL instead of
 *       SWITCHOVER; the checker asks an operator, and the approval is evaluated again when it comes.</li>
 *   <li><b>Dry run</b> is not a refusal: the verdict stays SWITCHOVER and the reason ends with "(dry run: ...)", so the
 *       decision reads the same as in production and the switchover service records DRY_RUN. The checker sets
 *       lastActionAt for a dry run too, so cooldown spaces the DRY_RUN records like real actions.</li>
 * </ul>
 * Everything is a function of the arguments: no clock reads, no randomness, no I/O.
 */
public final class Policy {

    /** Guard names, in the order they are asked after a confirmed, actionable breach. */
    public static final List<String> AUTO_GUARDS = List.of(
            "auto", "paused", "isolation", "self-distrust", "preflight", "cooldown", "standby-unhealthy",
            "standby-behind", "data-loss", "budget");

    /** The guards a manual switchover passes; force bypasses all of them (CONTRACT §4). */
    public static final List<String> MANUAL_GUARDS = List.of("standby-unhealthy", "standby-behind", "data-loss");

    private static final String ISOLATED =
            "every target and the cloud API failed in this cycle: the checker's own network is the likely fault";

    private Policy() {}

    // ------------------------------------------------------------------ the run cycle

    public static Evaluation evaluate(Rules rules, TargetState state, Observation obs, CycleContext ctx, Instant now) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(obs, "obs");
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(now, "now");
        Signals s = Signals.read(rules, obs);
        if (s.primary() == null && transitional(obs.cloud()) && obs.dataPlane() == null) {
            // The cloud is the only primary signal and it is busy: neither a failure nor a recovery.
            return new Evaluation(state, new Decision(Diagnosis.CLOUD_TRANSITIONAL, Verdict.NONE, "the cloud reports"
                    + " the target in transition (" + detail(obs.cloud()) + "): nothing counted, no automatic action",
                    !state.healthy(), false, null));
        }
        if (s.primary() == null) {
            return new Evaluation(state, new Decision(Diagnosis.NO_SIGNAL, Verdict.NONE,
                    "no data-plane probe or cloud status this cycle: nothing counted", !state.healthy(), false, null));
        }
        TargetState counted = count(rules, state, s);
        boolean inBreach = counted.failures() >= rules.failureThreshold()
                || counted.lagBreaches() >= rules.failureThreshold();
        boolean starts = state.healthy() && inBreach;
        boolean recovers = !state.healthy() && s.healthy() && counted.successes() >= rules.recoveryThreshold();
        TargetState next = starts ? counted.withHealthy(false, state.breaches() + 1)
                : recovers ? counted.withHealthy(true, state.breaches())
                : counted;
        return new Evaluation(next, decide(rules, next, s, obs, ctx, now, starts || recovers));
    }

    /** Adds this cycle's probe to the streaks; only recoveryThreshold healthy probes in a row clear them. */
    private static TargetState count(Rules rules, TargetState state, Signals s) {
        int failures = state.failures() + (s.failing() ? 1 : 0);
        int lagBreaches = state.lagBreaches() + (s.lagging() ? 1 : 0);
        int successes = s.healthy() ? state.successes() + 1 : 0;
        if (successes >= rules.recoveryThreshold()) {
            failures = 0;
            lagBreaches = 0;
        }
        return state.withStreaks(failures, lagBreaches, successes);
    }

    private static Decision decide(Rules rules, TargetState next, Signals s, Observation obs, CycleContext ctx,
                                   Instant now, boolean stateChanged) {
        int threshold = rules.failureThreshold();
        if (next.healthy()) {
            return stateChanged ? recovered(rules, s) : quiet(rules, next, s);
        }
        if (s.failing() && next.failures() >= threshold) {
            return failureBreach(rules, next, s, obs, ctx, now, stateChanged);
        }
        if (s.lagging() && next.lagBreaches() >= threshold) {
            return new Decision(Diagnosis.LAGGING, Verdict.ALERT, s.lagOver(rules) + " for " + next.lagBreaches()
                    + " probes (threshold " + threshold + "): lag is alerted, never switched over, since promoting a"
                    + " standby that is behind loses data", true, stateChanged, null);
        }
        if (s.failing() || s.lagging()) {
            return new Decision(Diagnosis.SUSPECT, Verdict.NONE, suspectReason(rules, next, s), true, stateChanged, null);
        }
        return new Decision(Diagnosis.RECOVERING, Verdict.NONE, s.upText() + ": " + next.successes() + " of "
                + rules.recoveryThreshold() + " healthy probes in a row needed to recover", true, stateChanged, null);
    }

    private static Decision recovered(Rules rules, Signals s) {
        return new Decision(Diagnosis.HEALTHY, Verdict.RECOVERED, "recovered: " + s.upText() + " for "
                + rules.recoveryThreshold() + " probes in a row after an unhealthy episode", false, true, null);
    }

    /** Healthy target: either all is well or a streak is building under its threshold. */
    private static Decision quiet(Rules rules, TargetState next, Signals s) {
        if (s.failing() || s.lagging()) {
            return new Decision(Diagnosis.SUSPECT, Verdict.NONE, suspectReason(rules, next, s), false, false, null);
        }
        String reason = s.upText() + s.lagText();
        if (next.failures() > 0 || next.lagBreaches() > 0) {
            reason += "; the streak (" + next.failures() + " failed, " + next.lagBreaches() + " lagging) clears after "
                    + rules.recoveryThreshold() + " healthy probes in a row (" + next.successes() + " so far)";
        }
        return new Decision(Diagnosis.HEALTHY, Verdict.NONE, reason, false, false, null);
    }

    private static String suspectReason(Rules rules, TargetState next, Signals s) {
        if (s.failing()) {
            return s.downText() + ": " + next.failures() + " of " + rules.failureThreshold()
                    + " failed probes before a breach";
        }
        return s.lagOver(rules) + ": " + next.lagBreaches() + " of " + rules.failureThreshold()
                + " probes before a breach";
    }

    /** The primary has failed failureThreshold probes in the current streak and fails this cycle too. */
    private static Decision failureBreach(Rules rules, TargetState next, Signals s, Observation obs, CycleContext ctx,
                                          Instant now, boolean stateChanged) {
        String evidence = evidence(rules, next, s);
        Confirmation c = confirm(s, obs);
        String seen = evidence + "; " + c.text();
        if (!c.diagnosis().actionable()) {
            return new Decision(c.diagnosis(), Verdict.ALERT, seen, true, stateChanged, null);
        }
        if (!rules.auto()) {
            return new Decision(c.diagnosis(), Verdict.ALERT, seen + "; auto is off for this target: alert only",
                    true, stateChanged, "auto");
        }
        List<Guard> guards = List.of(
                new Guard("paused", () -> paused(next, now)),
                new Guard("isolation", () -> ctx.isolated()
                        ? Optional.of(ctx.isolation() != null ? ctx.isolation() : ISOLATED) : Optional.empty()),
                new Guard("self-distrust", () -> Optional.ofNullable(ctx.distrust())),
                new Guard("preflight", () -> Optional.ofNullable(ctx.unready()).map(why -> why
                        + ": no automatic action until it passes; a manual call with force still can")),
                new Guard("cooldown", () -> cooldown(rules, next, now)),
                new Guard("standby-unhealthy", () -> standbyUnhealthy(obs)),
                new Guard("standby-behind", () -> standbyBehind(rules, s)),
                new Guard("data-loss", () -> dataLoss(rules, s, now)),
                new Guard("budget", () -> budget(ctx.budgets())));
        for (Guard g : guards) {
            Optional<String> no = g.check().get();
            if (no.isPresent()) {
                return new Decision(c.diagnosis(), Verdict.REJECTED, seen + "; " + no.get(), true, stateChanged,
                        g.name());
            }
        }
        String dryRun = ctx.dryRun() ? " (dry run: recorded as DRY_RUN, the cloud is not called)" : "";
        if (rules.approve()) {
            return new Decision(c.diagnosis(), Verdict.AWAIT_APPROVAL, seen + "; no guard objects: switch over once"
                    + " an operator approves (auto: approve)" + dryRun, true, stateChanged, null);
        }
        return new Decision(c.diagnosis(), Verdict.SWITCHOVER, seen + "; no guard objects: switch over" + dryRun,
                true, stateChanged, null);
    }

    private static String evidence(Rules rules, TargetState next, Signals s) {
        return s.downSubject() + ": " + next.failures() + " failed probes in the current streak (threshold "
                + rules.failureThreshold() + "; last: " + detail(s.primary()) + ")";
    }

    // ------------------------------------------------------------------ the second signal

    private record Confirmation(Diagnosis diagnosis, String text) {}

    private static Confirmation confirm(Signals s, Observation obs) {
        ProbeResult cloud = s.primaryIsCloud() ? null : readable(obs.cloud());
        ProbeResult standby = obs.standby();
        if (transitional(cloud)) {
            // Restarting, resizing, switching over: a failing primary is expected, and acting would collide.
            return new Confirmation(Diagnosis.CLOUD_TRANSITIONAL, "but the cloud reports the target in transition ("
                    + detail(cloud) + "): no confirmation and no automatic action while it lasts");
        }
        Diagnosis down = s.wrongRole() ? Diagnosis.WRONG_ROLE : Diagnosis.PRIMARY_DOWN;
        boolean cloudDown = cloud != null && cloud.health() == ProbeResult.Health.DOWN;
        boolean linkDown = standby != null && Boolean.FALSE.equals(standby.masterLinkUp());
        if (cloudDown && linkDown) {
            return new Confirmation(down, "confirmed by the cloud status (" + detail(cloud)
                    + ") and by the standby (master link down)");
        }
        if (cloudDown) {
            return new Confirmation(down, "confirmed by the cloud status (" + detail(cloud) + ")");
        }
        if (linkDown) {
            return new Confirmation(down, "confirmed by the standby (master link down)");
        }
        if (cloud != null) {
            return new Confirmation(Diagnosis.PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, "but the cloud reports it running ("
                    + detail(cloud) + "): unreachable is recorded, not acted on");
        }
        if (standby != null && Boolean.TRUE.equals(standby.masterLinkUp())) {
            return new Confirmation(Diagnosis.PRIMARY_UNREACHABLE_STANDBY_SEES_IT,
                    "but the standby reports its master link up: unreachable is recorded, not acted on");
        }
        if (standby != null) {
            return new Confirmation(Diagnosis.PRIMARY_DOWN_UNCONFIRMED, "no independent confirmation available (no "
                    + (s.primaryIsCloud() ? "data-plane probe" : "cloud status") + ", and the standby's master link is"
                    + " unknown: " + detail(standby) + "): not acting on a single signal, alert only");
        }
        return new Confirmation(Diagnosis.PRIMARY_DOWN_UNCONFIRMED, "no independent confirmation configured (no "
                + (s.primaryIsCloud() ? "data-plane probe" : "cloud status") + ", no standby view): not acting on a"
                + " single signal, alert only");
    }

    // ------------------------------------------------------------------ guards: a reason, or nothing

    private record Guard(String name, Supplier<Optional<String>> check) {}

    /** An expired pause holds nothing back, even before the checker has journaled its end. */
    private static Optional<String> paused(TargetState state, Instant now) {
        Pause p = state.pause();
        if (p == null || p.expired(now)) {
            return Optional.empty();
        }
        return Optional.of("paused by " + p.by() + " since " + p.at() + (p.until() == null ? "" : " until " + p.until())
                + " (" + (p.reason() == null || p.reason().isBlank() ? "no reason given" : p.reason())
                + "): no automatic action");
    }

    private static Optional<String> cooldown(Rules rules, TargetState state, Instant now) {
        if (state.lastActionAt() == null) {
            return Optional.empty();
        }
        Duration since = Duration.between(state.lastActionAt(), now);
        if (since.isNegative()) {
            // Replicas sharing a store can disagree on the time: a future action is a recent one.
            return Optional.of("last action at " + state.lastActionAt() + " is " + duration(since.negated())
                    + " in the future (clock skew?), cooldown " + duration(rules.cooldown()));
        }
        if (since.compareTo(rules.cooldown()) < 0) {
            return Optional.of("last action " + duration(since) + " ago, cooldown " + duration(rules.cooldown()));
        }
        return Optional.empty();
    }

    /**
     * The brakes, fleet-wide and the target's group. Asked last, so a budget is spent only by an action every other
     * guard let through: a cooldown's refusal never brakes anything.
     */
    private static Optional<String> budget(List<Budget> budgets) {
        return Budget.refusing(budgets).map(b -> {
            String reset = "POST /budget/reset" + (b.group() == null ? "" : " {\"group\":\"" + b.group() + "\"}");
            if (b.braked()) {
                return "automatic action is braked " + b.scope() + " since " + b.brakedAt()
                        + (b.brakedBecause() == null ? "" : " (" + b.brakedBecause() + ")")
                        + ": only an operator's " + reset + " releases it; manual calls still work";
            }
            return "the " + (b.group() == null ? "fleet-wide failover budget" : "failover budget of group '"
                    + b.group() + "'") + " is spent: " + b.used() + " automatic switchovers within "
                    + duration(b.window()) + " (at most " + b.max() + "): automatic action is braked"
                    + (b.group() == null ? "" : " in the group") + " until an operator's " + reset
                    + "; manual calls still work";
        });
    }

    /** The standby itself is down, as opposed to down because its master link is (that is the confirmation). */
    private static Optional<String> standbyUnhealthy(Observation obs) {
        ProbeResult standby = obs.standby();
        if (standby == null || standby.up() || Boolean.FALSE.equals(standby.masterLinkUp())) {
            return Optional.empty();
        }
        return Optional.of("the standby is unhealthy (" + detail(standby) + "): it cannot take over");
    }

    private static Optional<String> standbyBehind(Rules rules, Signals s) {
        return s.lagging() ? Optional.of("the standby is behind: " + s.lagOver(rules)) : Optional.empty();
    }

    /**
     * RPO: the standby may not be further behind than max-data-loss, as replication delay or last-sync age. When
     * max-data-loss is set but neither is measured the guard refuses: an RPO nobody can check is not kept. Lag in
     * bytes (redis) is no time measure and does not satisfy it; max-data-loss is for drs and dws.
     */
    private static Optional<String> dataLoss(Rules rules, Signals s, Instant now) {
        Duration max = rules.maxDataLoss();
        if (max == null) {
            return Optional.empty();
        }
        if (s.lag() != null && s.lag().compareTo(max) > 0) {
            return Optional.of("failing over could lose more than max-data-loss " + duration(max) + ": lag "
                    + duration(s.lag()));
        }
        if (s.lastSync() != null && Duration.between(s.lastSync(), now).compareTo(max) > 0) {
            return Optional.of("failing over could lose more than max-data-loss " + duration(max) + ": last sync "
                    + duration(Duration.between(s.lastSync(), now)) + " ago");
        }
        if (s.lag() == null && s.lastSync() == null) {
            return Optional.of("cannot check max-data-loss " + duration(max) + ": no lag or last sync measured");
        }
        return Optional.empty();
    }

    /**
     * Guards for a MANUAL switchover, which cooldown and pause do not block: the standby must be healthy, within
     * max-lag, and within max-data-loss. force bypasses all three (journaled as forced by the caller).
     *
     * @param latest the last observation of the target, or null if none yet (then only max-data-loss can refuse)
     * @return the refusal sentence (the 409 body), or empty to go
     */
    public static Optional<String> manualGuard(Rules rules, Observation latest, boolean force, Instant now) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(now, "now");
        if (force) {
            return Optional.empty();
        }
        Observation obs = latest != null ? latest : new Observation(now, null, null, null);
        Signals s = Signals.read(rules, obs);
        return standbyUnhealthy(obs)
                .or(() -> standbyBehind(rules, s))
                .or(() -> dataLoss(rules, s, now))
                .map(no -> no + "; send force to override");
    }

    // ------------------------------------------------------------------ self-isolation

    /**
     * Self-isolation, asked once per cycle before the targets are evaluated: true when the checker reached nothing.
     * Every data-plane probe and every cloud status in the cycle failed, no standby answered (a standby that reports
     * its link, up or down, was reached), and either at least two targets failed at once, or the one target's data
     * plane and cloud status failed together (the cloud API down too). A single failing signal of a single target is
     * an ordinary breach, not isolation.
     *
     * <p>Cost, accepted: a lone target with only a data-plane probe and a cloud status cannot be told apart from the
     * checker losing its network when both fail, so it is not failed over automatically; a standby view lets it be.
     */
    public static boolean isolated(Collection<Observation> cycle) {
        Objects.requireNonNull(cycle, "cycle");
        List<Observation> targets = new ArrayList<>();
        for (Observation o : cycle) {
            if (o == null) {
                continue;
            }
            if (reachable(o)) {
                return false;
            }
            if (o.dataPlane() != null || o.cloud() != null) {
                targets.add(o);
            }
        }
        if (targets.size() >= 2) {
            return true;
        }
        return targets.size() == 1 && targets.get(0).dataPlane() != null && targets.get(0).cloud() != null;
    }

    /** Whether the observation proves the checker reaches its targets: any answer, or a standby that answered. */
    public static boolean reachable(Observation o) {
        return answered(o.dataPlane()) || answered(o.cloud())
                || o.standby() != null && (o.standby().up() || o.standby().masterLinkUp() != null);
    }

    /** An answer proves reachability; an unreadable one (UNKNOWN) is no signal. */
    private static boolean answered(ProbeResult r) {
        return r != null && (r.up() || r.health() == ProbeResult.Health.TRANSITIONAL);
    }

    /** The cloud status as a signal: an UNKNOWN one (unreadable, outside the vocabulary) is no signal. */
    private static ProbeResult readable(ProbeResult cloud) {
        return cloud != null && cloud.health() == ProbeResult.Health.UNKNOWN ? null : cloud;
    }

    private static boolean transitional(ProbeResult r) {
        return r != null && r.health() == ProbeResult.Health.TRANSITIONAL;
    }

    // ------------------------------------------------------------------ reading one cycle's signals

    /**
     * One cycle reduced to what the rules need. The primary signal is the data-plane probe, or the cloud status when
     * no data-plane probe is configured. Lag is the worst any signal reports; last sync the oldest.
     */
    private record Signals(ProbeResult primary, boolean primaryIsCloud, boolean failing, boolean wrongRole,
                           boolean lagging, Long lagBytes, Duration lag, Instant lastSync) {

        static Signals read(Rules rules, Observation obs) {
            // Only an UP or DOWN cloud status can stand in for a data-plane probe (TRANSITIONAL is handled first).
            ProbeResult cloud = readable(obs.cloud());
            ProbeResult primary = obs.dataPlane() != null ? obs.dataPlane() : transitional(cloud) ? null : cloud;
            boolean failing = primary != null && !primary.up();
            boolean wrongRole = failing && primary == obs.dataPlane() && isReplica(primary.role());
            Long lagBytes = null;
            Duration lag = null;
            Instant lastSync = null;
            for (ProbeResult r : new ProbeResult[] {obs.dataPlane(), obs.cloud(), obs.standby()}) {
                if (r == null) {
                    continue;
                }
                if (r.lagBytes() != null && (lagBytes == null || r.lagBytes() > lagBytes)) {
                    lagBytes = r.lagBytes();
                }
                if (r.lag() != null && (lag == null || r.lag().compareTo(lag) > 0)) {
                    lag = r.lag();
                }
                if (r.lastSync() != null && (lastSync == null || r.lastSync().isBefore(lastSync))) {
                    lastSync = r.lastSync();
                }
            }
            boolean lagging = (rules.maxLagBytes() != null && lagBytes != null && lagBytes > rules.maxLagBytes())
                    || (rules.maxLag() != null && lag != null && lag.compareTo(rules.maxLag()) > 0);
            return new Signals(primary, primary != null && primary == cloud && obs.dataPlane() == null,
                    failing, wrongRole, lagging, lagBytes, lag, lastSync);
        }

        private static boolean isReplica(String role) {
            return role != null && (role.equalsIgnoreCase("slave") || role.equalsIgnoreCase("replica"));
        }

        boolean healthy() {
            return !failing && !lagging;
        }

        String upText() {
            return primaryIsCloud ? "the cloud reports the primary running" : "the primary answers";
        }

        /** Who sees the primary fail, for the breach sentence. */
        String downSubject() {
            if (primaryIsCloud) {
                return "the cloud reports the primary down, unconfirmed by a data-plane probe (none configured)";
            }
            return wrongRole ? "the primary answers as a replica (role " + primary.role() + ")"
                    : "the primary fails on the data plane";
        }

        /** The same for one probe under the threshold. */
        String downText() {
            if (primaryIsCloud) {
                return "the cloud reports the primary down (" + detail(primary) + ")";
            }
            return wrongRole ? "the primary answers as a replica (role " + primary.role() + ")"
                    : "the primary fails on the data plane (" + detail(primary) + ")";
        }

        /** ", lag 1MB" when measured; empty otherwise. */
        String lagText() {
            List<String> parts = new ArrayList<>();
            if (lagBytes != null) {
                parts.add(bytes(lagBytes));
            }
            if (lag != null) {
                parts.add(duration(lag));
            }
            return parts.isEmpty() ? "" : ", lag " + String.join(" / ", parts);
        }

        /** "lag 80MB over max-lag 64MB", naming every measure that is over. */
        String lagOver(Rules rules) {
            List<String> parts = new ArrayList<>();
            if (rules.maxLagBytes() != null && lagBytes != null && lagBytes > rules.maxLagBytes()) {
                parts.add("lag " + bytes(lagBytes) + " over max-lag " + bytes(rules.maxLagBytes()));
            }
            if (rules.maxLag() != null && lag != null && lag.compareTo(rules.maxLag()) > 0) {
                parts.add("lag " + duration(lag) + " over max-lag " + duration(rules.maxLag()));
            }
            return String.join(" and ", parts);
        }
    }
}
