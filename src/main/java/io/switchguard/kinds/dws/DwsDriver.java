package io.switchguard.kinds.dws;

import io.switchguard.action.ActionStatus;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import io.switchguard.switchover.Answers;
import io.switchguard.switchover.KindDriver;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The dws kind's two operations on a DR, both read from the DR detail:
 * <ul>
 *   <li>the exception failover (seed 003): 200 only means submitted; done when the DR detail shows the former
 *       standby as primary and the DR settled back to running;</li>
 *   <li>the planned switchover (issue 12 item 5): a healthy DR trades roles without data loss. The answer must be a
 *       200 naming the DR (the SDK's SwitchoverDisasterRecoveryResponse), which only means submitted; done when the
 *       roles traded exactly (the former standby is primary and the former primary standby) and the DR runs again.</li>
 * </ul>
 * A DR that ends in a failure state needs an operator, after either.
 */
final class DwsDriver implements KindDriver {

    /** The slice's registration: one driver per operation. */
    @Singleton
    static final class Registration {

        @Produces
        @Singleton
        KindDriver failover(DwsClient cloud) {
            return new DwsDriver(cloud, false);
        }

        @Produces
        @Singleton
        KindDriver switchover(DwsClient cloud) {
            return new DwsDriver(cloud, true);
        }
    }

    private final DwsClient cloud;
    /** The planned switchover (manual only) rather than the failover. */
    private final boolean planned;

    private DwsDriver(DwsClient cloud, boolean planned) {
        this.cloud = cloud;
        this.planned = planned;
    }

    @Override
    public Kind kind() {
        return Kind.DWS;
    }

    @Override
    public String action() {
        return planned ? "switchover" : "failover";
    }

    /**
     * The failover's state is the primary; the planned switchover's is both roles, "primary/standby": it must
     * trade them, not just change the primary.
     */
    @Override
    public Snapshot snapshot(Target t) {
        CloudResponse r = cloud.detail(t);
        if (r instanceof CloudResponse.Answered a && a.ok()) {
            DwsDetail d = DwsDetail.of(a.body());
            if (!planned && !d.primary().isEmpty()) {
                return new Snapshot(d.primary(), "primary before: " + d.primary() + ", status " + d.status());
            }
            if (planned && !d.primary().isEmpty() && !d.standby().isEmpty()) {
                return new Snapshot(d.roles(), "primary/standby before: " + d.roles() + ", DR " + d.status());
            }
        }
        return Snapshot.unread((planned ? "roles" : "primary") + " before unknown: "
                + Answers.unusable(r, "DR detail").detail(), r);
    }

    @Override
    public String describeCall(Target t, String mode) {
        return "POST /v2/" + t.projectId() + "/disaster-recovery/" + t.resourceId() + "/" + action();
    }

    @Override
    public CloudResponse call(Target t, String mode) {
        return planned ? cloud.switchover(t) : cloud.failover(t);
    }

    @Override
    public Interpretation interpret(CloudResponse.Answered a) {
        // Either operation trades roles: a 5xx or an error without DWS's own body may come after it ran.
        if (a.status() >= 400) {
            return Answers.error(a);
        }
        if (!planned) {
            return a.status() == 200
                    ? new Interpretation(ActionStatus.SUBMITTED, null, null, "DWS accepted the failover (submitted)")
                    : Answers.ambiguous(a, "200");
        }
        if (a.status() == 200 && !a.body().path("disaster_recovery").path("id").asText("").isEmpty()) {
            return new Interpretation(ActionStatus.SUBMITTED, null, null,
                    "DWS accepted the planned switchover (submitted)");
        }
        return Answers.ambiguous(a, "200 naming the DR");
    }

    @Override
    public Check check(Target t, Snapshot before) {
        CloudResponse r = cloud.detail(t);
        if (!(r instanceof CloudResponse.Answered a) || !a.ok()) {
            return Answers.unusable(r, "DR detail");
        }
        DwsDetail d = DwsDetail.of(a.body());
        String roles = planned ? "primary/standby " + d.roles() : "primary " + d.primary();
        if (d.failed()) {
            return new Check(Check.Verdict.FAILED, "DR status " + d.status() + ", " + roles + ": needs an operator");
        }
        if (!before.known()) {
            String unknown = (planned ? "roles before the switchover are" : "primary before the failover is")
                    + " unknown; DR status " + d.status();
            // Unverifiable, but not settled while the DR still moves: SKIPPED (and its event) once it runs again.
            return d.running() ? new Check(Check.Verdict.UNAVAILABLE, unknown)
                    : new Check(Check.Verdict.PENDING, unknown + ", waiting for it to run again");
        }
        return planned ? switchover(d, before) : failover(d, before);
    }

    private static Check failover(DwsDetail d, Snapshot before) {
        if (d.running() && !d.primary().equals(before.state())) {
            return new Check(Check.Verdict.DONE, "failover complete: primary now " + d.primary() + ", DR running");
        }
        if (d.running()) {
            return new Check(Check.Verdict.UNCHANGED, "DR running, primary still " + d.primary());
        }
        return new Check(Check.Verdict.PENDING, "DR status " + d.status() + ", primary " + d.primary());
    }

    private static Check switchover(DwsDetail d, Snapshot before) {
        if (d.running() && d.roles().equals(traded(before.state()))) {
            return new Check(Check.Verdict.DONE, "switchover complete: primary/standby now " + d.roles()
                    + ", DR running");
        }
        if (d.running() && d.roles().equals(before.state())) {
            // Running with the roles of before: after an error answer this is what settles it as not done.
            return new Check(Check.Verdict.UNCHANGED, "DR running, primary/standby still " + d.roles());
        }
        return new Check(Check.Verdict.PENDING, "DR status " + d.status() + ", primary/standby " + d.roles());
    }

    private static String traded(String roles) {
        int slash = roles.indexOf('/');
        return roles.substring(slash + 1) + "/" + roles.substring(0, slash);
    }
}
