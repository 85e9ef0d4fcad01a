package io.switchguard.store;

/** The journal database failed (I/O, constraint, driver): what was being done, and the cause. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
