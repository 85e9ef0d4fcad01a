package io.switchguard.sandbox;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** One authenticated call to a simulated cloud route: the path parameters by name, the body, the request id. */
public record Request(String method, Map<String, String> params, Buffer body, String requestId) {

    public String p(String name) {
        return params.get(name);
    }
}
