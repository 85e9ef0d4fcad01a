package io.switchguard.http;

import io.quarkus.runtime.StartupEvent;
import io.switchguard.config.Placeholders;
import io.switchguard.config.SwitchguardConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Bearer API keys. Keys are kept only as SHA-256 digests and compared in constant time, so neither a timing
 * nor a heap dump of this bean gives one away.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    /** The request attribute {@link HttpGuards} puts the caller's {@link #label} under. */
    public static final String CALLER = "switchguard.caller";
    public static final String ANONYMOUS = "anonymous";

    private final List<byte[]> digests;
    private final boolean disabled;
    private volatile byte[] generatedDigest;

    public ApiKeys(SwitchguardConfig config) {
        String raw = config.api().keys().orElse("").trim();
        this.disabled = raw.equals("none");
        this.digests = disabled ? List.of() : Arrays.stream(raw.split(","))
                .map(String::trim).filter(k -> !k.isEmpty())
                // Never a key, even if startup's refusal were bypassed: an example's <placeholder> is public.
                .filter(k -> !Placeholders.isPlaceholder(k)).map(ApiKeys::sha256).toList();
    }

    /** Right after the configuration check (priority 1), which refuses to start on a bad one. */
    void warnWhenOff(@Observes @Priority(2) StartupEvent event) {
        if (disabled) {
            LOG.warn("*** switchguard.api.keys=none: API authentication is OFF. Anyone who can reach this port can "
                    + "trigger switchovers. Use this only behind another authenticating proxy. ***");
        }
    }

    /** "none" was configured: every caller is let in. */
    public boolean disabled() {
        return disabled;
    }

    public boolean configured() {
        return !digests.isEmpty();
    }

    /** A fresh random key accepted from now on (the sandbox prints it once). */
    public String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String key = "sg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        generatedDigest = sha256(key);
        return key;
    }

    /**
     * Who presented this key, for the journal: keys have no names, so a stable label from its digest ("key-" and
     * the first 6 hex digits of its SHA-256), which identifies the key to whoever holds it without giving it away.
     * Without a valid key (authentication off, an event entry point): "anonymous".
     */
    public String label(String presented) {
        if (!matches(presented)) {
            return ANONYMOUS;
        }
        return "key-" + HexFormat.of().formatHex(sha256(presented)).substring(0, 6);
    }

    /** Let in: a valid key, or any caller when authentication is off ("none"). */
    public boolean accepts(String presented) {
        return disabled || matches(presented);
    }

    /** A configured (or the sandbox's generated) key was presented: the caller is authenticated, not merely let in. */
    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean ok = false;
        // No early exit: every key is compared whatever matched.
        for (byte[] known : digests) {
            ok |= MessageDigest.isEqual(known, digest);
        }
        byte[] generated = generatedDigest;
        if (generated != null) {
            ok |= MessageDigest.isEqual(generated, digest);
        }
        return ok;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
