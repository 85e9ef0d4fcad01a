package io.switchguard.store;

/** The requestId of a new action is already journaled: the caller returns the first result instead. */
public class DuplicateRequestIdException extends RuntimeException {
    public DuplicateRequestIdException(String requestId) {
        super("requestId already journaled: " + requestId);
    }
}
