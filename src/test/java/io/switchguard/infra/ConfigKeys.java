package io.switchguard.infra;

import io.smallrye.config.WithName;
import io.switchguard.config.ConfiguredTargets;
import io.switchguard.config.SwitchguardConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every switchguard.* property the configuration root defines, read off {@link SwitchguardConfig} itself, so a
 * manifest naming a key that does not exist (or no longer exists) fails a test. Map keys (target names,
 * endpoint services) are "*".
 */
final class ConfigKeys {

    /** Read by infra/functiongraph/bootstrap itself, not by the application. */
    static final Set<String> BOOTSTRAP_VARIABLES = Set.of("SWITCHGUARD_FAAS_HOST", "SWITCHGUARD_FAAS_PORT",
            "SWITCHGUARD_JAVA", "SWITCHGUARD_JAVA_OPTS", "SWITCHGUARD_XMX");
    /** The Quarkus keys the deployment files set. */
    static final Set<String> QUARKUS_VARIABLES = Set.of("QUARKUS_CONFIG_LOCATIONS", "QUARKUS_HTTP_HOST",
            "QUARKUS_HTTP_PORT", "QUARKUS_LOG_CONSOLE_JSON_ENABLED");

    private ConfigKeys() {}

    static List<String> properties() {
        List<String> out = new ArrayList<>();
        walk("switchguard", SwitchguardConfig.class, out);
        // The mapping collects the targets' keys as strings; ConfiguredTargets names the ones a target takes.
        if (out.remove("switchguard.targets.*")) {
            ConfiguredTargets.KEYS.forEach(k -> out.add("switchguard.targets.*." + k));
        }
        return out;
    }

    /** A property as a pattern over its dotted name ("*" = one map key). */
    static boolean isProperty(String dotted) {
        return properties().stream().anyMatch(p -> Pattern.compile(
                Pattern.quote(p).replace("*", "\\E[A-Za-z0-9-]+\\Q")).matcher(dotted).matches());
    }

    /** An environment variable that some property (or the bootstrap) reads, by SmallRye's env-name rule. */
    static boolean isVariable(String name) {
        if (BOOTSTRAP_VARIABLES.contains(name) || QUARKUS_VARIABLES.contains(name)) {
            return true;
        }
        return properties().stream().anyMatch(p -> Pattern.compile(envName(p).replace("*", "[A-Z0-9_]+"))
                .matcher(name).matches());
    }

    static String envName(String property) {
        StringBuilder s = new StringBuilder();
        for (char c : property.toCharArray()) {
            s.append(c == '*' ? '*' : Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return s.toString();
    }

    private static void walk(String prefix, Class<?> type, List<String> out) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            node(key, m.getGenericReturnType(), out);
        }
    }

    private static void node(String key, Type type, List<String> out) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == java.util.Map.class) {
                node(key + ".*", args[1], out);
                return;
            }
            if (raw == java.util.Optional.class) {
                node(key, args[0], out);
                return;
            }
        }
        if (type instanceof Class<?> c && c.isInterface() && c.getEnclosingClass() == SwitchguardConfig.class) {
            walk(key, c, out);
            return;
        }
        out.add(key);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
