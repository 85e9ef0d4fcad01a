package io.switchguard.config;

import jakarta.enterprise.context.ApplicationScoped;

/** Sandbox or real cloud, decided once from the configuration (CONTRACT §2: no AK/SK means sandbox). */
@ApplicationScoped
public class Mode {

    private final boolean sandbox;

    public Mode(SwitchguardConfig config) {
        this.sandbox = isSandbox(config);
    }

    public boolean sandbox() {
        return sandbox;
    }

    static boolean isSandbox(SwitchguardConfig config) {
        SwitchguardConfig.Cloud cloud = config.cloud();
        if ("sandbox".equals(cloud.provider())) {
            return true;
        }
        boolean akSk = cloud.ak().isPresent() && cloud.sk().isPresent();
        boolean password = cloud.iam().user().isPresent() && cloud.iam().password().isPresent();
        return !akSk && !password;
    }
}
