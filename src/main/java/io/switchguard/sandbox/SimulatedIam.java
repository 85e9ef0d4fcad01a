package io.switchguard.sandbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The simulated IAM: its users, the password-scoped token route and the tokens it issued (valid 24 h by the
 * simulator's clock, on every route, whatever project they were scoped to). Guarded by the simulator's lock.
 */
final class SimulatedIam {

    private static final DateTimeFormatter IAM_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Duration TOKEN_VALIDITY = Duration.ofHours(24);

    private final Clock clock;
    private final Object lock;
    // guarded by lock
    private final Map<String, IamUser> iamUsers = new HashMap<>();
    private final Map<String, IssuedToken> tokens = new HashMap<>();

    SimulatedIam(Clock clock, Object lock) {
        this.clock = clock;
        this.lock = lock;
    }

    void addUser(String domain, String user, String password, String projectId, String projectName) {
        synchronized (lock) {
            iamUsers.put(domain + "/" + user, new IamUser(domain, user, password, projectId, projectName));
        }
    }

    /** Whether {@code token} was issued here and has not expired. */
    boolean valid(String token) {
        synchronized (lock) {
            IssuedToken t = tokens.get(token);
            return t != null && clock.instant().isBefore(t.expiresAt());
        }
    }

    Reply token(Request r) {
        JsonObject auth;
        try {
            auth = new JsonObject(r.body()).getJsonObject("auth");
        } catch (DecodeException | ClassCastException e) {
            auth = null;
        }
        JsonObject user = auth == null ? null : path(auth, "identity", "password", "user");
        JsonArray methods = auth == null ? null : path(auth, "identity") == null ? null
                : path(auth, "identity").getJsonArray("methods");
        JsonObject project = auth == null ? null : path(auth, "scope", "project");
        if (user == null || methods == null || !methods.contains("password") || project == null) {
            return Reply.json(400, iamError(400, "Bad Request", "The request body is invalid: password auth "
                    + "with a project scope is expected."));
        }
        JsonObject domain = user.getJsonObject("domain");
        String key = (domain == null ? null : domain.getString("name")) + "/" + user.getString("name");
        synchronized (lock) {
            IamUser u = iamUsers.get(key);
            if (u == null || !u.password().equals(user.getString("password"))) {
                return Reply.json(401, iamError(401, "Unauthorized", "The username or password is wrong."));
            }
            String projectName;
            if (project.getString("id") != null) {
                if (!project.getString("id").equals(u.projectId())) {
                    return Reply.json(401, iamError(401, "Unauthorized", "The user has no access to the project."));
                }
                projectName = u.projectName() == null ? u.projectId() : u.projectName();
            } else {
                projectName = project.getString("name");
                if (projectName == null || (u.projectName() != null && !u.projectName().equals(projectName))) {
                    return Reply.json(401, iamError(401, "Unauthorized", "The user has no access to the project."));
                }
            }
            Instant now = clock.instant();
            Instant expires = now.plus(TOKEN_VALIDITY);
            String token = "MIIsandbox" + UUID.randomUUID().toString().replace("-", "")
                    + UUID.randomUUID().toString().replace("-", "");
            tokens.put(token, new IssuedToken(u.projectId(), expires));
            JsonObject body = new JsonObject().put("token", new JsonObject()
                    .put("expires_at", IAM_TIME.format(expires))
                    .put("issued_at", IAM_TIME.format(now))
                    .put("methods", new JsonArray().add("password"))
                    .put("project", new JsonObject().put("id", u.projectId()).put("name", projectName)
                            .put("domain", new JsonObject().put("name", u.domain())))
                    .put("user", new JsonObject().put("name", u.user())
                            .put("domain", new JsonObject().put("name", u.domain())))
                    .put("catalog", new JsonArray()));
            return Reply.json(201, body).withHeader("X-Subject-Token", token);
        }
    }


    private static JsonObject iamError(int code, String title, String msg) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", msg)
                .put("title", title));
    }

    private static JsonObject path(JsonObject o, String... keys) {
        JsonObject cur = o;
        for (String k : keys) {
            if (cur == null || !(cur.getValue(k) instanceof JsonObject next)) {
                return null;
            }
            cur = next;
        }
        return cur;
    }


    private record IamUser(String domain, String user, String password, String projectId, String projectName) {
    }

    private record IssuedToken(String projectId, Instant expiresAt) {
    }
}
