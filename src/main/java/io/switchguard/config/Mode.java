package io.switchguard.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Sandbox or real cloud, decided once from the configuration (CONTRACT §2, "Sandbox or cloud").
 *
 * <p>The sandbox runs only when {@code provider: sandbox} is set, or when nothing at all is configured (no provider,
 * no credentials, no targets). Anything else is the real cloud, and a production process never falls back to the
 * simulator: missing credentials are a startup error naming the keys, except in a FaaS deployment, whose
 * credentials arrive per invocation from the function's agency.
 */
@ApplicationScoped
public class Mode {

    private final boolean sandbox;
    private final boolean faas;
    private final boolean eventMode;
    private final List<String> problems;

    public Mode(SwitchguardConfig config, ConfiguredTargets targets) {
        this.sandbox = isSandbox(config, targets);
        this.eventMode = config.faas().eventMode();
        this.faas = config.faas().enabled() || eventMode;
        this.problems = problems(config, targets);
    }

    public boolean sandbox() {
        return sandbox;
    }

    /** A FunctionGraph deployment: cloud calls sign with the invocation's agency credentials when it sends them. */
    public boolean faas() {
        return faas;
    }

    /** The timer (event) function: /init and /invoke are open to the platform, which calls them without our key. */
    public boolean eventMode() {
        return eventMode;
    }

    /** Configuration errors of the mode itself, each naming its keys; StartupCheck refuses to start on any. */
    public List<String> problems() {
        return problems;
    }

    static boolean isSandbox(SwitchguardConfig config, ConfiguredTargets targets) {
        SwitchguardConfig.Cloud cloud = config.cloud();
        if (cloud.providerSetting().isPresent()) {
            return cloud.providerSetting().get().equals("sandbox");
        }
        boolean anyCredential = cloud.ak().isPresent() || cloud.sk().isPresent() || cloud.securityToken().isPresent()
                || cloud.iam().user().isPresent() || cloud.iam().password().isPresent();
        return !anyCredential && targets.isEmpty();
    }

    static List<String> problems(SwitchguardConfig config, ConfiguredTargets targets) {
        List<String> out = new ArrayList<>();
        if (isSandbox(config, targets)) {
            return out;
        }
        boolean faas = config.faas().enabled() || config.faas().eventMode();
        SwitchguardConfig.Cloud cloud = config.cloud();
        boolean akSk = cloud.ak().isPresent() && cloud.sk().isPresent();
        SwitchguardConfig.Iam iam = cloud.iam();
        boolean password = iam.user().isPresent() && iam.password().isPresent() && iam.domain().isPresent();
        if (!akSk && !password && !faas) {
            String why = cloud.providerSetting().map(p -> "provider is " + p)
                    .orElse(targets.isEmpty() ? "credentials are partly set" : "targets are configured");
            out.add("switchguard.cloud.ak, switchguard.cloud.sk: the real cloud is configured (" + why + ") but no "
                    + "credentials are: set both (SWITCHGUARD_CLOUD_AK, SWITCHGUARD_CLOUD_SK), or "
                    + "switchguard.cloud.iam.user, .password and .domain; provider: sandbox runs the simulator instead");
        }
        return out;
    }
}
