package io.switchguard.check;

import io.switchguard.config.Target;
import java.util.Optional;

/**
 * Continuous preflight's answer for the guards: why the target could not be switched right now, or empty when its
 * last preflight passed (or none has run yet). Implemented by preflight/Preflight; found through CDI.
 */
public interface PreflightGate {

    Optional<String> unready(Target target);
}
