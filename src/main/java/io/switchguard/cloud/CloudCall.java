package io.switchguard.cloud;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One call of a cloud API as the API reference names it: the verb and the path template under the service's
 * endpoint, e.g. {@code POST v2/{project_id}/instances/{instance_id}/swap}. Each kind's slice declares its calls as
 * constants (DcsApi, DrsApi, DwsApi), and the SDK-request tests hold every one to the official SDK's definition.
 */
public record CloudCall(String method, String path) {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    public CloudCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }

    public static CloudCall get(String path) {
        return new CloudCall("GET", path);
    }

    public static CloudCall post(String path) {
        return new CloudCall("POST", path);
    }

    public static CloudCall put(String path) {
        return new CloudCall("PUT", path);
    }

    /**
     * This call in a project: the path's placeholders filled in order, {@code project_id} first, and the project
     * sent as X-Project-Id too (every project-scoped call of these APIs documents the header).
     */
    public CloudRequest in(String projectId, String... others) {
        String[] values = new String[others.length + 1];
        values[0] = projectId;
        System.arraycopy(others, 0, values, 1, others.length);
        return new CloudRequest(method, expand(values), projectId, null);
    }

    /** The path with each {placeholder} replaced by the next value, encoded as one path segment. */
    String expand(String... values) {
        StringBuilder out = new StringBuilder(path.length() + 64);
        int next = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '{') {
                out.append(c);
                continue;
            }
            int close = path.indexOf('}', i);
            if (close < 0 || next == values.length) {
                throw new IllegalArgumentException(path + " takes other values than the " + values.length + " given");
            }
            segment(out, Objects.requireNonNull(values[next++], "path value"));
            i = close;
        }
        if (next != values.length) {
            throw new IllegalArgumentException(path + " takes " + next + " values, not " + values.length);
        }
        return out.toString();
    }

    /** RFC 3986 pchar left bare (unreserved, sub-delims, ':' and '@'), anything else percent-encoded as UTF-8. */
    private static void segment(StringBuilder out, String value) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HEX.toHexDigits(b));
            }
        }
    }
}
