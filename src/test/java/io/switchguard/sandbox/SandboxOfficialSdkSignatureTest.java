package io.switchguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator must accept what the real cloud accepts: requests signed by the official SDK. */
class SandboxOfficialSdkSignatureTest extends SandboxTestBase {

    @Test
    void requestSignedByTheOfficialSdkIsAccepted() {
        String path = switchVip(PROJECT, DRS_ID);
        String body = "{\"mode\":\"target\"}";
        HttpRequest request = HttpRequest.newBuilder()
                .withEndpoint(base)
                .withPath(path)
                .withMethod(HttpMethod.POST)
                .withContentType("application/json")
                .withBodyAsString(body)
                .addHeader("X-Project-Id", PROJECT)
                .addQueryParam("lang", List.of("en-us"))
                .build();
        BasicCredentials credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
        Map<String, String> headers = new LinkedHashMap<>(AKSKSigner.getInstance().sign(request, credentials));
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("Host"));
        headers.put("Content-Type", "application/json");
        headers.put("X-Project-Id", PROJECT);

        HttpResponse<String> r = send("POST", URI.create(base + path + "?lang=en-us"), headers,
                body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));

        assertEquals(202, r.statusCode(), r.body());
        assertTrue(sim.calls().get(0).authenticated());
    }
}
