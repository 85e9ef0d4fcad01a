package io.switchguard.ui;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.switchguard.sandbox.WatchedTargets;
import java.util.HashMap;
import java.util.Map;

/**
 * Configured sandbox targets in approval mode (auto: approve), for the tests of what an operator sees and answers:
 * the /approve and /deny contract (targets appr-*) and the status page's approvals, preflight and group budget
 * (targets page-*). Configured targets replace the demo ones, hence a profile of their own; both test classes share
 * it, so the application starts once for them. Each target's data plane is a port nothing listens on, so only the
 * sandbox's data-plane fault, through the cloud status, decides whether a breach is confirmed (WatchedTargets).
 */
public class ApprovalTargets implements QuarkusTestProfile {

    public static final String PROJECT = "0000000000000000000000000000page";
    /** The budget group the page-* targets count in: two automatic switchovers an hour. */
    public static final String GROUP = "payments";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>();
        m.put("switchguard.store.url", "jdbc:h2:mem:approval-targets;DB_CLOSE_DELAY=-1");
        for (String name : new String[] {"appr-ok", "appr-no", "appr-gone", "appr-fail", "appr-slow"}) {
            dcs(m, name, "approve");
        }
        WatchedTargets.target(m, "appr-dw", "dws", "disaster-recovery-id", "dr-appr-dw", PROJECT, "approve");
        dcs(m, "alert-only", "false");
        dcs(m, "page-approve", "approve");
        dcs(m, "page-deny", "approve");
        m.put("switchguard.targets.page-approve.group", GROUP);
        m.put("switchguard.targets.page-deny.group", GROUP);
        // Acts on its own: its switchover is what the group's budget counts (approved ones do not).
        dcs(m, "page-auto", "true");
        m.put("switchguard.targets.page-auto.group", GROUP);
        WatchedTargets.target(m, "page-sync", "drs", "job-id", "job-page-sync", PROJECT, "false");
        m.put("switchguard.targets.page-sync.mode", "source");
        m.put("switchguard.budget.groups." + GROUP + ".max-automatic", "2");
        return m;
    }

    /** The resource id of a dcs target here. */
    public static String instance(String target) {
        return "inst-" + target;
    }

    private static void dcs(Map<String, String> m, String name, String auto) {
        WatchedTargets.target(m, name, "dcs", "instance-id", instance(name), PROJECT, auto);
    }
}
