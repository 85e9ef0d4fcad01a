package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.cloud.AkSkSigner;
import io.switchguard.kinds.dcs.DcsSimulator;
import io.switchguard.kinds.drs.DrsSimulator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxAuthTest extends SandboxTestBase {

    private static final JsonObject APIGW_401 = new JsonObject().put("error_code", "APIGW.0301")
            .put("error_msg", "Incorrect IAM authentication information: verify aksk signature fail");

    @Test
    void unsignedRequestIs401AndRecordedAsNotAuthenticated() {
        String master = DcsSimulator.of(sim).masterNode(DCS_ID);

        HttpResponse<String> r = unsigned("POST", dcsSwapV2(PROJECT, DCS_ID), null, Map.of());

        assertEquals(401, r.statusCode());
        assertEquals(APIGW_401, json(r));
        assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
        assertEquals(master, DcsSimulator.of(sim).masterNode(DCS_ID));
        CloudSimulator.Call call = sim.calls().get(0);
        assertFalse(call.authenticated());
        assertEquals(401, call.status());
        assertEquals("POST", call.method());
        assertEquals(dcsSwapV2(PROJECT, DCS_ID), call.path());
    }

    @Test
    void requestSignedWithWrongSecretIs401() {
        HttpResponse<String> r = signedWith(AK, "not-the-secret", "POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(401, r.statusCode());
        assertEquals(APIGW_401, json(r));
        assertFalse(sim.calls().get(0).authenticated());
        assertEquals(DCS_ID + "-node-0", DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void requestSignedCorrectlyWithAnotherAccessKeyIs401() {
        HttpResponse<String> r = signedWith("SOMEONEELSE", SK, "POST", dcsSwapV2(PROJECT, DCS_ID), null);

        assertEquals(401, r.statusCode());
        assertFalse(sim.calls().get(0).authenticated());
    }

    @Test
    void bodyChangedAfterSigningIs401() {
        URI uri = URI.create(base + switchVip(PROJECT, DRS_ID));
        byte[] signedBody = "{\"mode\":\"source\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = AkSkSigner.sign("POST", uri, Map.of("Content-Type", "application/json"),
                signedBody, AK, SK, clock.instant());

        HttpResponse<String> r = send("POST", uri, headers, "{\"mode\":\"target\"}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(10));

        assertEquals(401, r.statusCode());
        assertEquals(null, DrsSimulator.of(sim).switchStatus(DRS_ID));
    }

    @Test
    void signedRequestIsRecordedAsAuthenticatedWithHeadersAndBody() {
        signed("POST", switchVip(PROJECT, DRS_ID), "{\"mode\":\"source\"}");

        CloudSimulator.Call call = sim.calls().get(0);
        assertTrue(call.authenticated());
        assertEquals(202, call.status());
        assertEquals("{\"mode\":\"source\"}", call.body());
        assertTrue(call.headers().get("authorization").startsWith("SDK-HMAC-SHA256 Access=" + AK));
        assertNotNull(call.headers().get("X-Sdk-Date"));
        assertEquals(clock.instant(), call.at());
    }

    @Test
    void iamTokenScopedByProjectIdIsIssuedAndAcceptedInsteadOfAkSk() {
        sim.addIamUser("acme", "ops", "s3cret!", PROJECT);

        HttpResponse<String> issued = unsigned("POST", "/v3/auth/tokens", passwordAuth("acme", "ops", "s3cret!",
                new JsonObject().put("id", PROJECT)), Map.of());

        assertEquals(201, issued.statusCode());
        String token = issued.headers().firstValue("X-Subject-Token").orElseThrow();
        JsonObject body = json(issued).getJsonObject("token");
        assertEquals(PROJECT, body.getJsonObject("project").getString("id"));
        Instant expires = Instant.parse(body.getString("expires_at"));
        assertEquals(Duration.ofHours(24).toSeconds(), Duration.between(clock.instant(), expires).toSeconds(), 1);

        HttpResponse<String> swap = unsigned("POST", dcsSwapV2(PROJECT, DCS_ID), null, Map.of("X-Auth-Token", token));

        assertEquals(204, swap.statusCode());
        assertEquals(DCS_ID + "-node-1", DcsSimulator.of(sim).masterNode(DCS_ID));
        assertTrue(sim.calls().get(1).authenticated());
    }

    @Test
    void iamTokenScopedByProjectNameIsIssued() {
        sim.addIamUser("acme", "ops", "pw", PROJECT, "eu-de");

        HttpResponse<String> byName = unsigned("POST", "/v3/auth/tokens?nocatalog=true",
                passwordAuth("acme", "ops", "pw", new JsonObject().put("name", "eu-de")), Map.of());
        HttpResponse<String> wrongName = unsigned("POST", "/v3/auth/tokens",
                passwordAuth("acme", "ops", "pw", new JsonObject().put("name", "eu-nl")), Map.of());

        assertEquals(201, byName.statusCode());
        assertEquals(PROJECT, json(byName).getJsonObject("token").getJsonObject("project").getString("id"));
        assertEquals(401, wrongName.statusCode());
    }

    @Test
    void wrongPasswordIs401WithoutTokenAndPasswordIsNotRecorded() {
        sim.addIamUser("acme", "ops", "s3cret!", PROJECT);

        HttpResponse<String> r = unsigned("POST", "/v3/auth/tokens", passwordAuth("acme", "ops", "guess",
                new JsonObject().put("id", PROJECT)), Map.of());

        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("X-Subject-Token").isEmpty());
        assertNotNull(json(r).getJsonObject("error").getString("message"));
        CloudSimulator.Call call = sim.calls().get(0);
        assertFalse(call.authenticated());
        assertFalse(call.body().contains("guess"), call.body());
    }

    @Test
    void unknownOrExpiredTokenIs401() {
        sim.addIamUser("acme", "ops", "pw", PROJECT);
        String token = unsigned("POST", "/v3/auth/tokens", passwordAuth("acme", "ops", "pw",
                new JsonObject().put("id", PROJECT)), Map.of()).headers().firstValue("X-Subject-Token").orElseThrow();

        assertEquals(401, unsigned("POST", dcsSwapV2(PROJECT, DCS_ID), null, Map.of("X-Auth-Token", "forged"))
                .statusCode());
        clock.advance(Duration.ofHours(24));
        HttpResponse<String> expired = unsigned("POST", dcsSwapV2(PROJECT, DCS_ID), null,
                Map.of("X-Auth-Token", token));

        assertEquals(401, expired.statusCode());
        assertEquals(APIGW_401, json(expired));
        assertEquals(DCS_ID + "-node-0", DcsSimulator.of(sim).masterNode(DCS_ID));
    }

    @Test
    void unknownApiIs404Apigw0101() {
        HttpResponse<String> r = signed("POST", "/v2/" + PROJECT + "/instances/" + DCS_ID + "/reboot", null);
        HttpResponse<String> wrongVerb = signed("GET", dcsSwapV2(PROJECT, DCS_ID), null);

        for (HttpResponse<String> x : List.of(r, wrongVerb)) {
            assertEquals(404, x.statusCode());
            assertEquals("APIGW.0101", json(x).getString("error_code"));
        }
    }

    @Test
    void queryStringIsPartOfTheSignature() {
        sim.addIamUser("acme", "ops", "pw", PROJECT);
        HttpResponse<String> r = signed("GET", "/v2/" + PROJECT + "/instances/" + DCS_ID + "?a=1&b=x%20y", null);

        assertEquals(200, r.statusCode());
        assertEquals("a=1&b=x%20y", sim.calls().get(0).query());
    }

    private static String passwordAuth(String domain, String user, String password, JsonObject project) {
        return new JsonObject().put("auth", new JsonObject()
                .put("identity", new JsonObject().put("methods", List.of("password"))
                        .put("password", new JsonObject().put("user", new JsonObject().put("name", user)
                                .put("password", password).put("domain", new JsonObject().put("name", domain)))))
                .put("scope", new JsonObject().put("project", project))).encode();
    }
}
