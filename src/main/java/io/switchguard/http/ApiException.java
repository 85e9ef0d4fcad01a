package io.switchguard.http;

import io.switchguard.action.Action;

/**
 * A non-2xx answer of a function: HTTP status, error_code, error_msg, and the action result when there is one.
 * Funqy cannot set a status code, so functions throw this and {@link ErrorResponses} writes it.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final transient Object body;

    public ApiException(int status, String errorCode, String errorMsg, Object body) {
        super(errorMsg, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.body = body;
    }

    public static ApiException badRequest(String errorMsg) {
        return new ApiException(400, "SG.4000", errorMsg, null);
    }

    public static ApiException notFound(String errorMsg) {
        return new ApiException(404, "SG.4040", errorMsg, null);
    }

    /** A switchover result that is not a plain 200: its status decides the HTTP code. */
    public static ApiException of(Action action) {
        return new ApiException(action.status().httpStatus(), action.errorCode(), action.errorMsg(), action);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** The result fields to answer with next to error_code/error_msg, or null. */
    public Object body() {
        return body;
    }
}
