package io.switchguard.cloud;

/**
 * The request could not be authenticated (no credentials, the IAM token fetch failed), so it was never sent:
 * thrown from the signing filter, before a byte reached the cloud, and read as {@link CloudResponse.NotSent}.
 */
final class NotSignedException extends RuntimeException {

    NotSignedException(String message, Throwable cause) {
        super(message, cause);
    }
}
