package io.switchguard.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refuses template placeholders such as {@code <api-keys-from-your-secret-manager>} as keys or credentials. An
 * example Secret applied unedited would otherwise make a publicly known string a valid bearer key, and make the
 * cloud credentials look configured (issue 17.8). Pure: each problem names its key, never the value.
 */
public final class Placeholders {

    /** Anything in angle brackets, the form every example in infra/ and the README uses. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\s*<[^<>]*>\\s*");

    private Placeholders() {}

    public static boolean isPlaceholder(String value) {
        return value != null && PLACEHOLDER.matcher(value).matches();
    }

    public static List<String> problems(SwitchguardConfig config, ConfiguredTargets targets) {
        List<String> out = new ArrayList<>();
        config.api().keys().filter(keys -> Arrays.stream(keys.split(",")).anyMatch(Placeholders::isPlaceholder))
                .ifPresent(k -> out.add(refused("switchguard.api.keys")));
        SwitchguardConfig.Cloud cloud = config.cloud();
        check(out, "switchguard.cloud.ak", cloud.ak());
        check(out, "switchguard.cloud.sk", cloud.sk());
        check(out, "switchguard.cloud.security-token", cloud.securityToken());
        check(out, "switchguard.cloud.iam.user", cloud.iam().user());
        check(out, "switchguard.cloud.iam.password", cloud.iam().password());
        check(out, "switchguard.store.username", config.store().username());
        check(out, "switchguard.store.password", config.store().password());
        check(out, "switchguard.notify.webhook-secret", config.notifications().webhookSecret());
        targets.byName().forEach((name, t) -> t.probe().ifPresent(p ->
                check(out, "switchguard.targets." + name + ".probe.password", p.password())));
        return out;
    }

    private static void check(List<String> out, String key, Optional<String> value) {
        if (value.filter(Placeholders::isPlaceholder).isPresent()) {
            out.add(refused(key));
        }
    }

    private static String refused(String key) {
        return key + ": a <placeholder> from an example is not a key or credential; put the real value in your "
                + "secret manager";
    }
}
