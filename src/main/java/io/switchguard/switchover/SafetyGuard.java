package io.switchguard.switchover;

import io.switchguard.config.Target;
import java.util.Optional;

/**
 * The checks a manual switchover passes before the cloud is called: the standby is healthy and caught up,
 * no data would be lost. A reason sentence means no (409), empty means go. force skips them.
 */
public interface SafetyGuard {

    Optional<String> beforeManual(Target target, boolean force);
}
