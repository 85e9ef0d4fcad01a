package io.switchguard.switchover;

import io.switchguard.action.Action;
import java.util.Optional;

/** What a switchover request came to: a journaled action (whatever its status), or a refusal before any journal. */
public sealed interface SwitchoverResult {

    /** The action as the journal has it: SUCCEEDED, SUBMITTED, FAILED, UNKNOWN, REJECTED or DRY_RUN. */
    record Journaled(Action action) implements SwitchoverResult {}

    /** The request itself was wrong; nothing was journaled or sent. */
    record Refused(Refusal refusal, String message) implements SwitchoverResult {}

    enum Refusal {
        /** No target (or action) of that name. */
        NOT_FOUND,
        /** The request is not one this target takes (wrong function, no DRS mode, bad resolve). */
        BAD_REQUEST,
        /** The requestId was used for another target, or the action is not in a state the request applies to. */
        CONFLICT
    }

    default Optional<Action> journaled() {
        return this instanceof Journaled j ? Optional.of(j.action()) : Optional.empty();
    }
}
