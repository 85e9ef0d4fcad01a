package io.switchguard.preflight;

import io.switchguard.config.Kind;
import io.switchguard.config.Target;
import java.util.List;
import java.util.Set;

/**
 * What a cloud kind contributes to preflight: a signed read of its resource (so the credentials sign and are
 * accepted, and the endpoint answers), judged for existence, the right kind of resource and a state the switchover
 * API can act in. Each kind's slice has one (kinds/dcs/DcsPreflight, ...); found through CDI.
 */
public interface KindPreflight {

    Set<Kind> kinds();

    /** The endpoints, credentials, resource and switchable checks of the target, each with its sentence. */
    List<Readiness.Check> check(Target target);
}
