package io.switchguard.sandbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the simulated cloud answers to one call; {@code slow} = answer only after the simulator's slow delay. */
public record Reply(int status, String contentType, Buffer body, Map<String, String> headers, boolean slow) {

    public static Reply json(int status, Object body) {
        String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
        return new Reply(status, "application/json;charset=UTF-8", Buffer.buffer(text), Map.of(), false);
    }

    public static Reply empty(int status) {
        return new Reply(status, null, null, Map.of(), false);
    }

    /** The API gateway's flat error body. */
    public static JsonObject apigw(String code, String msg) {
        return new JsonObject().put("error_code", code).put("error_msg", msg);
    }

    /** The API gateway's nested error body. */
    public static JsonObject nested(String code, String msg) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", msg));
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h, slow);
    }

    public Reply slowly(boolean s) {
        return new Reply(status, contentType, body, headers, s);
    }
}
