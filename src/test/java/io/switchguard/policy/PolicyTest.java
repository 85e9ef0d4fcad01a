package io.switchguard.policy;

import static io.switchguard.policy.Diagnosis.HEALTHY;
import static io.switchguard.policy.Diagnosis.LAGGING;
import static io.switchguard.policy.Diagnosis.NO_SIGNAL;
import static io.switchguard.policy.Diagnosis.PRIMARY_DOWN;
import static io.switchguard.policy.Diagnosis.PRIMARY_DOWN_UNCONFIRMED;
import static io.switchguard.policy.Diagnosis.PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING;
import static io.switchguard.policy.Diagnosis.PRIMARY_UNREACHABLE_STANDBY_SEES_IT;
import static io.switchguard.policy.Diagnosis.RECOVERING;
import static io.switchguard.policy.Diagnosis.SUSPECT;
import static io.switchguard.policy.Diagnosis.WRONG_ROLE;
import static io.switchguard.policy.Fixtures.AS_REPLICA;
import static io.switchguard.policy.Fixtures.CLOUD_DOWN;
import static io.switchguard.policy.Fixtures.DOWN;
import static io.switchguard.policy.Fixtures.DRS;
import static io.switchguard.policy.Fixtures.LINK_DOWN;
import static io.switchguard.policy.Fixtures.LINK_UP;
import static io.switchguard.policy.Fixtures.MB;
import static io.switchguard.policy.Fixtures.REDIS;
import static io.switchguard.policy.Fixtures.RUNNING;
import static io.switchguard.policy.Fixtures.STANDBY_LOADING;
import static io.switchguard.policy.Fixtures.STANDBY_UNREACHABLE;
import static io.switchguard.policy.Fixtures.T0;
import static io.switchguard.policy.Fixtures.UP;
import static io.switchguard.policy.Fixtures.at;
import static io.switchguard.policy.Fixtures.cloudDownLag;
import static io.switchguard.policy.Fixtures.cloudDownSynced;
import static io.switchguard.policy.Fixtures.cloudLag;
import static io.switchguard.policy.Fixtures.linkDownLag;
import static io.switchguard.policy.Fixtures.standbyLag;
import static io.switchguard.policy.Verdict.AWAIT_APPROVAL;
import static io.switchguard.policy.Verdict.ALERT;
import static io.switchguard.policy.Verdict.NONE;
import static io.switchguard.policy.Verdict.RECOVERED;
import static io.switchguard.policy.Verdict.REJECTED;
import static io.switchguard.policy.Verdict.SWITCHOVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recorded observation sequences replayed through {@link Policy#evaluate} with a fixed clock (one cycle every 10s
 * from T0). Each step asserts the diagnosis, the verdict, the reason (exactly, or its key part), whether the target
 * is in breach, whether health flipped, and which guard said no. One scenario per rule, negative cases included.
 */
class PolicyTest {

    private static final CycleContext LIVE = new CycleContext(false, false);
    private static final CycleContext DRY_RUN = new CycleContext(true, false);
    private static final CycleContext ISOLATED = new CycleContext(false, true);
    private static final Rules APPROVE = new Rules(3, 2, 64 * MB, null, Duration.ofMinutes(15), null, true, true);
    private static final CycleContext DISTRUST = LIVE.withDistrust("the checker ran late: 47s since the last counted"
            + " probe of the target, over 2 x interval 10s + timeout 2s (a GC pause, a frozen VM or a thawed FaaS"
            + " instance): this cycle may alert but not act");
    private static final CycleContext BUDGET_LEFT = LIVE.withBudget(new Budget(3, Duration.ofHours(1), 2, null, null));
    private static final CycleContext BUDGET_SPENT = LIVE.withBudget(new Budget(3, Duration.ofHours(1), 3, null, null));
    private static final CycleContext BRAKED = LIVE.withBudget(new Budget(3, Duration.ofHours(1), 0,
            T0.minusSeconds(60), "the budget was spent"));

    private static final String CONFIRMED_SWITCH = "the primary fails on the data plane: 3 failed probes in the current"
            + " streak (threshold 3; last: connection refused); confirmed by the cloud status (ERROR); no guard objects:"
            + " switch over";

    // ------------------------------------------------------------------ the table

    static Stream<Arguments> scenarios() {
        return Stream.of(
                // --- streaks and thresholds
                scenario("breach is reached exactly at failure-threshold", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE,
                                "=the primary fails on the data plane (connection refused): 1 of 3 failed probes before a breach"),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3 failed probes before a breach").breach(false),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, SWITCHOVER, "=" + CONFIRMED_SWITCH)
                                .breach(true).changed().breaches(1)),
                scenario("threshold minus one failure is no breach, and healthy probes clear the streak", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3").breach(false),
                        step(UP, RUNNING, null).expect(HEALTHY, NONE, "=the primary answers; the streak (2 failed, 0 lagging)"
                                + " clears after 2 healthy probes in a row (1 so far)").breach(false),
                        step(UP, RUNNING, null).expect(HEALTHY, NONE, "=the primary answers").breach(false),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3").breaches(0)),
                scenario("one recovery probe does not reset a flapping streak: F,F,S,F breaches", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(UP, RUNNING, null).expect(HEALTHY, NONE, "(1 so far)").breach(false),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, SWITCHOVER, "3 failed probes in the current streak")
                                .breach(true).changed().breaches(1)),
                flapping(),
                scenario("recovery needs recovery-threshold healthy probes in a row after a breach", REDIS, LIVE,
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, RUNNING, null).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT, "3 failed probes")
                                .changed(),
                        step(UP, RUNNING, null).expect(RECOVERING, NONE,
                                "=the primary answers: 1 of 2 healthy probes in a row needed to recover").breach(true),
                        step(UP, RUNNING, null).expect(HEALTHY, RECOVERED, "=recovered: the primary answers for 2 probes in"
                                + " a row after an unhealthy episode").breach(false).changed().breaches(1),
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "1 of 3 failed probes before a breach")),
                scenario("a failure while recovering continues the same episode", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, SWITCHOVER, "3 failed").changed().thenActs(),
                        step(UP, RUNNING, null).expect(RECOVERING, NONE, "1 of 2 healthy probes").breach(true),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, REJECTED, "4 failed probes in the current streak")
                                .guard("cooldown").breaches(1)),
                scenario("breaches counts episodes, not cycles", REDIS, LIVE,
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, RUNNING, null).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT, "3 failed").changed()
                                .breaches(1),
                        step(DOWN, RUNNING, null).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT, "4 failed")
                                .breaches(1),
                        step(UP, RUNNING, null).expect(RECOVERING, NONE, "1 of 2"),
                        step(UP, RUNNING, null).expect(HEALTHY, RECOVERED, "recovered").changed().breaches(1),
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, RUNNING, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, RUNNING, null).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT, "3 failed").changed()
                                .breaches(2)),
                scenario("a cycle without any primary signal counts nothing", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(null, null, null).expect(NO_SIGNAL, NONE,
                                "=no data-plane probe or cloud status this cycle: nothing counted").breach(false),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, SWITCHOVER, "3 failed").changed()),

                // --- lag
                scenario("lag over max-lag (bytes) for failure-threshold probes is a breach, alerted only", REDIS, LIVE,
                        step(UP, RUNNING, standbyLag(80 * MB)).expect(SUSPECT, NONE,
                                "=lag 80MB over max-lag 64MB: 1 of 3 probes before a breach"),
                        step(UP, RUNNING, standbyLag(80 * MB)).expect(SUSPECT, NONE, "2 of 3 probes").breach(false),
                        step(UP, RUNNING, standbyLag(80 * MB)).expect(LAGGING, ALERT, "=lag 80MB over max-lag 64MB for 3"
                                + " probes (threshold 3): lag is alerted, never switched over, since promoting a standby"
                                + " that is behind loses data").breach(true).changed().breaches(1),
                        step(UP, RUNNING, standbyLag(MB)).expect(RECOVERING, NONE, "1 of 2"),
                        step(UP, RUNNING, standbyLag(MB)).expect(HEALTHY, RECOVERED, "recovered").changed()),
                scenario("lag at exactly max-lag is not over it", REDIS, LIVE,
                        step(UP, RUNNING, standbyLag(64 * MB)).expect(HEALTHY, NONE, "=the primary answers, lag 64MB"),
                        step(UP, RUNNING, standbyLag(64 * MB)).expect(HEALTHY, NONE, "lag 64MB"),
                        step(UP, RUNNING, standbyLag(64 * MB)).expect(HEALTHY, NONE, "lag 64MB").breach(false)),
                scenario("lag over max-lag (seconds, drs) from the cloud status is a breach", DRS, LIVE,
                        step(null, cloudLag(Duration.ofSeconds(45)), null).expect(SUSPECT, NONE,
                                "=lag 45s over max-lag 30s: 1 of 3 probes before a breach"),
                        step(null, cloudLag(Duration.ofSeconds(45)), null).expect(SUSPECT, NONE, "2 of 3"),
                        step(null, cloudLag(Duration.ofSeconds(45)), null).expect(LAGGING, ALERT, "lag 45s over max-lag 30s"
                                + " for 3 probes").changed()),
                scenario("lag under the threshold count is no breach and healthy probes clear it", REDIS, LIVE,
                        step(UP, RUNNING, standbyLag(80 * MB)).expect(SUSPECT, NONE, "1 of 3 probes"),
                        step(UP, RUNNING, standbyLag(80 * MB)).expect(SUSPECT, NONE, "2 of 3 probes"),
                        step(UP, RUNNING, standbyLag(MB)).expect(HEALTHY, NONE, "(0 failed, 2 lagging)"),
                        step(UP, RUNNING, standbyLag(MB)).expect(HEALTHY, NONE, "=the primary answers, lag 1MB"),
                        step(UP, RUNNING, standbyLag(80 * MB)).expect(SUSPECT, NONE, "1 of 3 probes").breaches(0)),

                // --- the second signal
                scenario("cloud says running: unreachable is recorded, never acted on", REDIS, LIVE,
                        step(DOWN, RUNNING, LINK_UP).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, RUNNING, LINK_UP).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, RUNNING, LINK_UP).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT, "=the primary"
                                + " fails on the data plane: 3 failed probes in the current streak (threshold 3; last:"
                                + " connection refused); but the cloud reports it running (RUNNING): unreachable is"
                                + " recorded, not acted on").breach(true).changed(),
                        step(DOWN, RUNNING, LINK_UP).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT, "4 failed")
                                .breach(true)),
                scenario("the standby's master link down confirms even when the cloud says running", REDIS, LIVE,
                        step(DOWN, RUNNING, LINK_DOWN).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, RUNNING, LINK_DOWN).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, RUNNING, LINK_DOWN).expect(PRIMARY_DOWN, SWITCHOVER,
                                "; confirmed by the standby (master link down); no guard objects: switch over").changed()),
                scenario("the standby's master link down confirms without a cloud status", REDIS, LIVE,
                        step(DOWN, null, LINK_DOWN).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, null, LINK_DOWN).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, null, LINK_DOWN).expect(PRIMARY_DOWN, SWITCHOVER, "confirmed by the standby").changed()),
                scenario("cloud down and standby link down both confirm", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, LINK_DOWN).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, CLOUD_DOWN, LINK_DOWN).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, CLOUD_DOWN, LINK_DOWN).expect(PRIMARY_DOWN, SWITCHOVER,
                                "confirmed by the cloud status (ERROR) and by the standby (master link down)").changed()),
                scenario("the standby sees its master: unreachable is recorded, never acted on", REDIS, LIVE,
                        step(DOWN, null, LINK_UP).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, null, LINK_UP).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, null, LINK_UP).expect(PRIMARY_UNREACHABLE_STANDBY_SEES_IT, ALERT,
                                "but the standby reports its master link up: unreachable is recorded, not acted on")
                                .changed()),
                scenario("single signal: no confirmation configured is alerted, never acted on", REDIS, LIVE,
                        step(DOWN, null, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, null, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, null, null).expect(PRIMARY_DOWN_UNCONFIRMED, ALERT, "=the primary fails on the data"
                                + " plane: 3 failed probes in the current streak (threshold 3; last: connection refused);"
                                + " no independent confirmation configured (no cloud status, no standby view): not acting"
                                + " on a single signal, alert only").changed()),
                scenario("single signal: a standby that cannot be reached confirms nothing", REDIS, LIVE,
                        step(DOWN, null, STANDBY_UNREACHABLE).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, null, STANDBY_UNREACHABLE).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, null, STANDBY_UNREACHABLE).expect(PRIMARY_DOWN_UNCONFIRMED, ALERT,
                                "no independent confirmation available (no cloud status, and the standby's master link"
                                        + " is unknown: connect timed out): not acting on a single signal, alert only")
                                .changed()),
                scenario("cloud-only breach is the cloud's own view and unconfirmed by a data-plane probe", DRS, LIVE,
                        step(null, CLOUD_DOWN, null).expect(SUSPECT, NONE,
                                "=the cloud reports the primary down (ERROR): 1 of 3 failed probes before a breach"),
                        step(null, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(null, CLOUD_DOWN, null).expect(PRIMARY_DOWN_UNCONFIRMED, ALERT, "=the cloud reports the"
                                + " primary down, unconfirmed by a data-plane probe (none configured): 3 failed probes in"
                                + " the current streak (threshold 3; last: ERROR); no independent confirmation configured"
                                + " (no data-plane probe, no standby view): not acting on a single signal, alert only")
                                .changed()),
                scenario("cloud-only breach confirmed by the standby's master link is acted on", REDIS, LIVE,
                        step(null, CLOUD_DOWN, LINK_DOWN).expect(SUSPECT, NONE, "1 of 3"),
                        step(null, CLOUD_DOWN, LINK_DOWN).expect(SUSPECT, NONE, "2 of 3"),
                        step(null, CLOUD_DOWN, LINK_DOWN).expect(PRIMARY_DOWN, SWITCHOVER, "unconfirmed by a data-plane"
                                + " probe (none configured): 3 failed probes in the current streak (threshold 3; last:"
                                + " ERROR); confirmed by the standby (master link down)").changed()),
                scenario("a primary answering as a replica is a failure of the primary", REDIS, LIVE,
                        step(AS_REPLICA, CLOUD_DOWN, null).expect(SUSPECT, NONE,
                                "=the primary answers as a replica (role slave): 1 of 3 failed probes before a breach"),
                        step(AS_REPLICA, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(AS_REPLICA, CLOUD_DOWN, null).expect(WRONG_ROLE, SWITCHOVER, "=the primary answers as a"
                                + " replica (role slave): 3 failed probes in the current streak (threshold 3; last: role is"
                                + " slave, expected master); confirmed by the cloud status (ERROR); no guard objects:"
                                + " switch over").changed()),
                scenario("a wrong role the cloud calls running is not acted on", REDIS, LIVE,
                        step(AS_REPLICA, RUNNING, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(AS_REPLICA, RUNNING, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(AS_REPLICA, RUNNING, null).expect(PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING, ALERT,
                                "the primary answers as a replica (role slave)").changed()),

                // --- guards, one each
                breachWith("guard auto: auto off alerts only", rules(false, null), LIVE, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, null, ALERT, "auto",
                        "confirmed by the cloud status (ERROR); auto is off for this target: alert only"),
                breachWith("guard paused: rejected with the pause reason", REDIS, LIVE,
                        s -> s.paused("db maintenance", T0.minusSeconds(3600)), DOWN, CLOUD_DOWN, null, REJECTED, "paused",
                        "; paused by unknown since 2026-05-01T09:00:00Z (db maintenance): no automatic action"),
                breachWith("guard paused without a reason says so", REDIS, LIVE, s -> s.paused(null, T0),
                        DOWN, CLOUD_DOWN, null, REJECTED, "paused", " (no reason given): no automatic action"),
                breachWith("guard paused: names who paused and until when", REDIS, LIVE,
                        s -> s.paused(new Pause("key-1a2b3c", "upgrade", T0, T0.plusSeconds(3600), null)), DOWN,
                        CLOUD_DOWN, null, REJECTED, "paused", "; paused by key-1a2b3c since 2026-05-01T10:00:00Z until"
                                + " 2026-05-01T11:00:00Z (upgrade): no automatic action"),
                breachWith("guard paused: an expired pause holds nothing back", REDIS, LIVE,
                        s -> s.paused(new Pause("key-1a2b3c", "upgrade", T0, at(2), null)), DOWN, CLOUD_DOWN, null,
                        SWITCHOVER, null, "no guard objects: switch over"),
                breachWith("guard self-distrust: a late loop alerts, never acts", REDIS, DISTRUST,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, LINK_DOWN, REJECTED, "self-distrust",
                        "; the checker ran late: 47s since the last counted probe of the target"),
                breachWith("order: self-distrust beats cooldown and budget", REDIS, DISTRUST.withBudget(
                        new Budget(3, Duration.ofHours(1), 3, null, null)), s -> s.withLastActionAt(at(1)), DOWN,
                        CLOUD_DOWN, null, REJECTED, "self-distrust", "this cycle may alert but not act"),
                breachWith("guard preflight: a target that failed its preflight is not acted on", REDIS,
                        LIVE.withUnready("preflight at 2026-05-01T09:55:00Z says it could not switch now: credentials:"
                                + " the cloud refused the credentials"), UnaryOperator.identity(), DOWN, CLOUD_DOWN,
                        null, REJECTED, "preflight", "; preflight at 2026-05-01T09:55:00Z says it could not switch"
                                + " now: credentials: the cloud refused the credentials: no automatic action until it"
                                + " passes; a manual call with force still can"),
                breachWith("order: preflight beats cooldown", REDIS, LIVE.withUnready("preflight failed"),
                        s -> s.withLastActionAt(at(1)), DOWN, CLOUD_DOWN, null, REJECTED, "preflight",
                        "preflight failed"),
                breachWith("guard budget: under the budget acts", REDIS, BUDGET_LEFT, UnaryOperator.identity(), DOWN,
                        CLOUD_DOWN, null, SWITCHOVER, null, "no guard objects: switch over"),
                breachWith("guard budget: the N+1th automatic switchover is refused", REDIS, BUDGET_SPENT,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, null, REJECTED, "budget", "; the fleet-wide failover"
                                + " budget is spent: 3 automatic switchovers within 1h (at most 3): automatic action is"
                                + " braked until an operator's POST /budget/reset; manual calls still work"),
                breachWith("guard budget: braked holds whatever the count", REDIS, BRAKED, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, null, REJECTED, "budget", "; automatic action is braked fleet-wide since"
                                + " 2026-05-01T09:59:00Z (the budget was spent): only an operator's POST /budget/reset"
                                + " releases it; manual calls still work"),
                breachWith("guard budget: a spent group budget refuses when the fleet's is left", REDIS,
                        LIVE.withBudgets(List.of(new Budget(10, Duration.ofHours(1), 2, null, null),
                                new Budget("payments", 2, Duration.ofMinutes(10), 2, null, null))),
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, null, REJECTED, "budget", "; the failover budget"
                                + " of group 'payments' is spent: 2 automatic switchovers within 10m (at most 2):"
                                + " automatic action is braked in the group until an operator's POST /budget/reset"
                                + " {\"group\":\"payments\"}; manual calls still work"),
                breachWith("guard budget: a braked group holds its targets", REDIS,
                        LIVE.withBudgets(List.of(new Budget(10, Duration.ofHours(1), 0, null, null),
                                new Budget("payments", 2, Duration.ofMinutes(10), 0, T0, "spent"))),
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, null, REJECTED, "budget", "; automatic action is"
                                + " braked for group 'payments' since 2026-05-01T10:00:00Z (spent): only an operator's"
                                + " POST /budget/reset {\"group\":\"payments\"} releases it"),
                breachWith("approval mode: every guard passed, the switchover waits for an operator", APPROVE, LIVE,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, null, AWAIT_APPROVAL, null, "=the primary fails on"
                                + " the data plane: 3 failed probes in the current streak (threshold 3; last:"
                                + " connection refused); confirmed by the cloud status (ERROR); no guard objects: switch"
                                + " over once an operator approves (auto: approve)"),
                breachWith("approval mode: the guards still say no first", APPROVE, BUDGET_SPENT,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, null, REJECTED, "budget", "budget is spent"),
                breachWith("order: cooldown beats budget (a refusal spends nothing)", REDIS, BUDGET_SPENT,
                        s -> s.withLastActionAt(at(1)), DOWN, CLOUD_DOWN, null, REJECTED, "cooldown", "cooldown 15m"),
                breachWith("guard isolation: the checker's own network is the likely fault", REDIS, ISOLATED,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, null, REJECTED, "isolation", "; every target and the"
                                + " cloud API failed in this cycle: the checker's own network is the likely fault"),
                breachWith("guard cooldown: names both numbers", REDIS, LIVE,
                        s -> s.withLastActionAt(at(2).minus(Duration.ofMinutes(4))), DOWN, CLOUD_DOWN, null, REJECTED,
                        "cooldown", "; last action 4m ago, cooldown 15m"),
                breachWith("guard cooldown: an action from the future is recent (clock skew)", REDIS, LIVE,
                        s -> s.withLastActionAt(at(2).plusSeconds(30)), DOWN, CLOUD_DOWN, null, REJECTED, "cooldown",
                        "; last action at 2026-05-01T10:00:50Z is 30s in the future (clock skew?), cooldown 15m"),
                breachWith("cooldown elapsed: exactly the cooldown ago goes", REDIS, LIVE,
                        s -> s.withLastActionAt(at(2).minus(Duration.ofMinutes(15))), DOWN, CLOUD_DOWN, null, SWITCHOVER,
                        null, "no guard objects: switch over"),
                breachWith("guard standby-unhealthy: the standby itself is down", REDIS, LIVE, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, STANDBY_LOADING, REJECTED, "standby-unhealthy",
                        "; the standby is unhealthy (loading dataset): it cannot take over"),
                breachWith("guard standby-unhealthy: the standby cannot be reached", REDIS, LIVE,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, STANDBY_UNREACHABLE, REJECTED, "standby-unhealthy",
                        "; the standby is unhealthy (connect timed out): it cannot take over"),
                breachWith("standby down only because its master link is down is not unhealthy", REDIS, LIVE,
                        UnaryOperator.identity(), DOWN, CLOUD_DOWN, LINK_DOWN, SWITCHOVER, null, "switch over"),
                breachWith("guard standby-behind: lag over max-lag at the breach", REDIS, LIVE, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, linkDownLag(80 * MB), REJECTED, "standby-behind",
                        "; the standby is behind: lag 80MB over max-lag 64MB"),
                breachWith("guard data-loss: lag over max-data-loss", rpo(), LIVE, UnaryOperator.identity(),
                        null, cloudDownLag(Duration.ofMinutes(6)), LINK_DOWN, REJECTED, "data-loss",
                        "; failing over could lose more than max-data-loss 5m: lag 6m"),
                breachWith("guard data-loss: last sync older than max-data-loss", rpo(), LIVE, UnaryOperator.identity(),
                        DOWN, cloudDownSynced(at(2).minus(Duration.ofMinutes(7))), null, REJECTED, "data-loss",
                        "; failing over could lose more than max-data-loss 5m: last sync 7m ago"),
                breachWith("guard data-loss: nothing measured cannot keep the RPO", rpo(), LIVE, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, null, REJECTED, "data-loss",
                        "; cannot check max-data-loss 5m: no lag or last sync measured"),
                breachWith("data-loss passes: last sync within max-data-loss", rpo(), LIVE, UnaryOperator.identity(),
                        DOWN, cloudDownSynced(at(2).minus(Duration.ofMinutes(1))), null, SWITCHOVER, null,
                        "no guard objects: switch over"),
                breachWith("dry run still decides SWITCHOVER and says so", REDIS, DRY_RUN, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, null, SWITCHOVER, null,
                        "=" + CONFIRMED_SWITCH + " (dry run: recorded as DRY_RUN, the cloud is not called)"),

                // --- guard order
                breachWith("order: auto off beats paused", rules(false, null), LIVE, s -> s.paused("m", T0),
                        DOWN, CLOUD_DOWN, null, ALERT, "auto", "auto is off"),
                breachWith("order: paused beats isolation and cooldown", REDIS, ISOLATED,
                        s -> s.paused("m", T0).withLastActionAt(at(2)), DOWN, CLOUD_DOWN, STANDBY_UNREACHABLE, REJECTED,
                        "paused", "(m)"),
                breachWith("order: isolation beats cooldown", REDIS, ISOLATED, s -> s.withLastActionAt(at(2)),
                        DOWN, CLOUD_DOWN, null, REJECTED, "isolation", "checker's own network"),
                breachWith("order: cooldown beats standby-unhealthy", REDIS, LIVE, s -> s.withLastActionAt(at(2)),
                        DOWN, CLOUD_DOWN, STANDBY_UNREACHABLE, REJECTED, "cooldown", "last action 0s ago, cooldown 15m"),
                breachWith("order: standby-unhealthy beats data-loss", rpo(), LIVE, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, STANDBY_UNREACHABLE, REJECTED, "standby-unhealthy", "the standby is unhealthy"),
                breachWith("order: standby-behind beats data-loss", new Rules(3, 2, 64 * MB, null,
                                Duration.ofMinutes(15), Duration.ofMinutes(5), true), LIVE, UnaryOperator.identity(),
                        DOWN, CLOUD_DOWN, linkDownLag(80 * MB), REJECTED, "standby-behind", "the standby is behind"),
                breachWith("order: a guard beats dry run", REDIS, DRY_RUN, s -> s.paused("m", T0),
                        DOWN, CLOUD_DOWN, null, REJECTED, "paused", "no automatic action"),
                breachWith("order: an unconfirmed breach is alerted before any guard", REDIS, ISOLATED,
                        s -> s.paused("m", T0), DOWN, RUNNING, null, ALERT, null, "unreachable is recorded"),

                // --- what a refusal does and does not do
                scenario("a refused breach stays a breach and keeps its streak", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3").mutate(s -> s.paused("m", T0)),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, REJECTED, "3 failed").guard("paused").changed()
                                .breaches(1),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, REJECTED, "4 failed").guard("paused")
                                .breaches(1).mutate(TargetState::resumed),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, SWITCHOVER, "5 failed probes").breaches(1)),
                scenario("no second SWITCHOVER after an action: cooldown holds while the breach lasts", REDIS, LIVE,
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "1 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "2 of 3"),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, SWITCHOVER, "switch over").changed().thenActs(),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, REJECTED, "; last action 10s ago, cooldown 15m")
                                .guard("cooldown"),
                        step(DOWN, CLOUD_DOWN, null).expect(PRIMARY_DOWN, REJECTED, "; last action 20s ago, cooldown 15m")
                                .guard("cooldown").breaches(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void replay(String name, Rules rules, TargetState start, CycleContext ctx, List<Step> steps) {
        TargetState state = start;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Observation obs = new Observation(at(i), step.dataPlane, step.cloud, step.standby);
            Evaluation ev = Policy.evaluate(rules, state, obs, ctx, at(i));
            Decision d = ev.decision();
            String where = name + ", step " + (i + 1) + ": " + d;
            assertEquals(step.diagnosis, d.diagnosis(), where);
            assertEquals(step.verdict, d.verdict(), where);
            if (step.reason != null) {
                if (step.reason.startsWith("=")) {
                    assertEquals(step.reason.substring(1), d.reason(), where);
                } else {
                    assertTrue(d.reason().contains(step.reason), where + "\n  expected to contain: " + step.reason);
                }
            }
            if (step.breach != null) {
                assertEquals(step.breach, d.breach(), where + " (breach)");
            }
            assertEquals(step.changed, d.stateChanged(), where + " (stateChanged)");
            assertEquals(step.guard, d.guard(), where + " (guard)");
            if (step.breaches != null) {
                assertEquals(step.breaches.longValue(), ev.next().breaches(), where + " (breaches)");
            }
            // Invariants every row obeys.
            if (d.verdict() == ALERT || d.verdict() == SWITCHOVER || d.verdict() == REJECTED) {
                assertTrue(d.breach(), where + ": alerts and actions happen in breach only");
            }
            assertEquals(d.verdict() == REJECTED, d.guard() != null && !d.guard().equals("auto"), where);
            assertEquals(!ev.next().healthy(), d.breach(), where + ": breach is the unhealthy episode");
            assertEquals(ev, Policy.evaluate(rules, state, obs, ctx, at(i)), where + ": not deterministic");
            state = ev.next();
            if (step.acts) {
                state = state.withLastActionAt(at(i));
            }
            state = step.mutate.apply(state);
        }
    }

    // ------------------------------------------------------------------ single rules outside the table

    @Test
    void flappingOneInThreeNeverBreachesOverThirtyCycles() {
        TargetState state = TargetState.initial();
        for (int i = 0; i < 30; i++) {
            ProbeResult dp = i % 3 == 0 ? DOWN : UP;
            Evaluation ev = Policy.evaluate(REDIS, state, new Observation(at(i), dp, CLOUD_DOWN, null), LIVE, at(i));
            assertEquals(NONE, ev.decision().verdict(), "cycle " + i);
            assertTrue(!ev.decision().breach() && ev.next().healthy(), "cycle " + i);
            state = ev.next();
        }
        assertEquals(0, state.breaches());
    }

    @Test
    void noSignalLeavesTheStateAsItWas() {
        TargetState mid = new TargetState(2, 1, 0, true, 4, T0, new Pause("ops", "m", T0, null, null));
        Evaluation ev = Policy.evaluate(REDIS, mid, new Observation(T0, null, null, LINK_UP), LIVE, T0);
        assertEquals(mid, ev.next());
        assertEquals(NO_SIGNAL, ev.decision().diagnosis());
    }

    @Test
    void rulesRefuseThresholdsBelowOne() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Rules(0, 2, null, null, Duration.ZERO, null, true));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Rules(3, 0, null, null, Duration.ZERO, null, true));
    }

    // ------------------------------------------------------------------ table helpers

    /** F,S,S repeated for 30 cycles with threshold 3, recovery 2: never a breach. */
    private static Arguments flapping() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            steps.add(i % 3 == 0
                    ? step(DOWN, CLOUD_DOWN, null).expect(SUSPECT, NONE, "=the primary fails on the data plane"
                            + " (connection refused): 1 of 3 failed probes before a breach").breach(false).breaches(0)
                    : step(UP, RUNNING, null).expect(HEALTHY, NONE, null).breach(false).breaches(0));
        }
        return Arguments.of("flapping one failure in three never breaches (30 cycles)", REDIS, TargetState.initial(),
                LIVE, steps);
    }

    /** Three failing cycles with the given signals; the third is the breach whose verdict and guard are asserted. */
    private static Arguments breachWith(String name, Rules rules, CycleContext ctx, UnaryOperator<TargetState> start,
                                        ProbeResult dp, ProbeResult cloud, ProbeResult standby, Verdict verdict,
                                        String guard, String reason) {
        Diagnosis expected = cloud != null && cloud.up() && (standby == null || !Boolean.FALSE.equals(standby.masterLinkUp()))
                ? PRIMARY_UNREACHABLE_CLOUD_SAYS_RUNNING : PRIMARY_DOWN;
        Step third = step(dp, cloud, standby).expect(expected, verdict, reason).breach(true).changed().breaches(1);
        if (guard != null) {
            third.guard(guard);
        }
        return Arguments.of(name, rules, start.apply(TargetState.initial()), ctx, List.of(
                step(dp, cloud, standby).expect(SUSPECT, NONE, "1 of 3"),
                step(dp, cloud, standby).expect(SUSPECT, NONE, "2 of 3"),
                third));
    }

    private static Arguments scenario(String name, Rules rules, CycleContext ctx, Step... steps) {
        return Arguments.of(name, rules, TargetState.initial(), ctx, List.of(steps));
    }

    private static Rules rules(boolean auto, Duration maxDataLoss) {
        return new Rules(3, 2, 64 * MB, null, Duration.ofMinutes(15), maxDataLoss, auto);
    }

    /** RPO guard only: max-data-loss 5m, no max-lag, so the lag guards stay out of the way. */
    private static Rules rpo() {
        return new Rules(3, 2, null, null, Duration.ofMinutes(15), Duration.ofMinutes(5), true);
    }

    private static Step step(ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby) {
        return new Step(dataPlane, cloud, standby);
    }

    /** One recorded cycle and what the policy must say about it. reason: "=exact sentence" or a key part. */
    static final class Step {
        final ProbeResult dataPlane;
        final ProbeResult cloud;
        final ProbeResult standby;
        Diagnosis diagnosis;
        Verdict verdict;
        String reason;
        Boolean breach;
        boolean changed;
        String guard;
        Integer breaches;
        boolean acts;
        UnaryOperator<TargetState> mutate = UnaryOperator.identity();

        Step(ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby) {
            this.dataPlane = dataPlane;
            this.cloud = cloud;
            this.standby = standby;
        }

        Step expect(Diagnosis diagnosis, Verdict verdict, String reason) {
            this.diagnosis = diagnosis;
            this.verdict = verdict;
            this.reason = reason;
            return this;
        }

        Step breach(boolean breach) {
            this.breach = breach;
            return this;
        }

        Step changed() {
            this.changed = true;
            return this;
        }

        Step guard(String guard) {
            this.guard = guard;
            return this;
        }

        Step breaches(int breaches) {
            this.breaches = breaches;
            return this;
        }

        /** The checker runs the switchover: lastActionAt is this cycle's time. */
        Step thenActs() {
            this.acts = true;
            return this;
        }

        /** An operator acts between cycles (pause, resume). */
        Step mutate(UnaryOperator<TargetState> change) {
            this.mutate = change;
            return this;
        }

        @Override
        public String toString() {
            return diagnosis + "/" + verdict;
        }
    }
}
