package io.switchguard.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The official SDK signer (huaweicloud-sdk-core, test scope only) is the oracle: the same request signed by both must carry
 * the same Authorization header. The SDK gets the request the way its generated clients build it (decoded query
 * parameters, path as it goes on the wire); ours gets the java.net.URI an HTTP client would send.
 */
class AkSkSignerTest {

    private static final String AK = "HPUAEXAMPLEAK0000001";
    private static final String SK = "mZ7pExampleSecretKey0000000000000000000001";
    private static final String DATE_HEADER = "X-Sdk-Date";
    private static final String DATE = "20240101T120000Z";
    private static final Instant NOW = Instant.parse("2024-01-01T12:00:00Z");
    private static final String ENDPOINT = "https://dcs.eu-de.otc.t-systems.com";
    private static final String PROJECT = "0123456789abcdef0123456789abcdef";

    /** Credentials printed (a log line, an exception) show none of their parts: the AK neither (Invocations). */
    @Test
    void credentialsNeverPrintTheirKeys() {
        String printed = new CloudAuth.AkSk("TEMPAKFAASPRINT01", "temp-sk-print-9f3a", "temp-token-print-77c1")
                .toString();
        assertFalse(printed.contains("TEMPAKFAASPRINT01"), printed);
        assertFalse(printed.contains("temp-sk-print-9f3a"), printed);
        assertFalse(printed.contains("temp-token-print-77c1"), printed);
    }

    @Test
    void getWithEncodedRepeatedQueryMatchesSdkSigner() {
        // Deliberately mixed raw encodings: '/', '*' and non-ASCII left bare, '~' escaped, space as %20, '&' and '='
        // escaped inside values, keys out of order, a repeated key, a key without '='.
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances"
                + "?name=redis%20a/b*%7E%C3%BC&limit=10&multi=2&multi=1&path=/tmp/123&flag"
                + "&test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&offset=0");
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("name", List.of("redis a/b*~ü"));
        query.put("limit", List.of("10"));
        query.put("multi", List.of("2", "1"));
        query.put("path", List.of("/tmp/123"));
        query.put("flag", List.of(""));
        query.put("test", List.of("一 (&=?!#%.*)"));
        query.put("offset", List.of("0"));
        Map<String, String> headers = Map.of("X-Project-Id", PROJECT, DATE_HEADER, DATE);

        assertEquals(sdk("GET", uri.getRawPath(), query, headers, null),
                ours("GET", uri, headers, null));
    }

    @Test
    void getWithNonAsciiQueryLeftUnescapedInUriMatchesSdkSigner() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances?name=grüße");
        Map<String, String> headers = Map.of(DATE_HEADER, DATE);

        assertEquals(sdk("GET", uri.getRawPath(), Map.of("name", List.of("grüße")), headers, null),
                ours("GET", uri, headers, null));
    }

    @Test
    void postWithJsonBodyMatchesSdkSigner() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances/11111111-2222-3333-4444-555555555555/swap");
        String body = "{\"force\":true,\"note\":\"übergabe\"}";
        Map<String, String> headers = Map.of("Content-Type", "application/json;charset=UTF-8",
                "X-Project-Id", PROJECT, DATE_HEADER, DATE);

        String authorization = ours("POST", uri, headers, body);
        assertEquals(sdk("POST", uri.getRawPath(), Map.of(), headers, body), authorization);
        assertTrue(authorization.contains("SignedHeaders=host;x-project-id;x-sdk-date,"), authorization);
    }

    @Test
    void pathWithAndWithoutTrailingSlashMatchesSdkSigner() {
        Map<String, String> headers = Map.of(DATE_HEADER, DATE);
        URI bare = URI.create(ENDPOINT + "/v3/" + PROJECT + "/jobs/batch-status");
        URI slashed = URI.create(ENDPOINT + "/v3/" + PROJECT + "/jobs/batch-status/");
        URI root = URI.create(ENDPOINT + "/");

        assertEquals(sdk("POST", bare.getRawPath(), Map.of(), headers, "{}"), ours("POST", bare, headers, "{}"));
        assertEquals(sdk("POST", slashed.getRawPath(), Map.of(), headers, "{}"), ours("POST", slashed, headers, "{}"));
        assertEquals(sdk("GET", "/", Map.of(), headers, null), ours("GET", root, headers, null));
        // The canonical URI always ends in '/', so both forms sign the same.
        assertEquals(ours("POST", bare, headers, "{}"), ours("POST", slashed, headers, "{}"));
    }

    @Test
    void nonAsciiPathSegmentMatchesSdkSignerOnTheWireForm() throws Exception {
        // The multi-argument constructor leaves non-ASCII bare in the raw path; the HTTP client sends it as UTF-8 %XX.
        URI uri = new URI("https", "dcs.eu-de.otc.t-systems.com", "/v2/" + PROJECT + "/tags/grüße 一", null);
        String wirePath = URI.create(uri.toASCIIString()).getRawPath();
        Map<String, String> headers = Map.of(DATE_HEADER, DATE);

        assertEquals(sdk("GET", wirePath, Map.of(), headers, null), ours("GET", uri, headers, null));
    }

    @Test
    void percentEncodedPathSegmentMatchesSdkSigner() {
        // An SMN topic URN as a path parameter: ':' escaped, plus an escaped '/' and '%' inside segments.
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/notifications/topics/urn%3Asmn%3Aeu-de%3Ap%3At/a%2Fb%25c/publish");
        Map<String, String> headers = Map.of("X-Project-Id", PROJECT, DATE_HEADER, DATE);

        assertEquals(sdk("POST", uri.getRawPath(), Map.of(), headers, "{\"message\":\"hi\"}"),
                ours("POST", uri, headers, "{\"message\":\"hi\"}"));
        // The SDK encodes the already-encoded path once more, so '%' itself becomes %25 in the canonical URI.
        assertTrue(AkSkSigner.canonicalRequest("POST", uri.getRawPath(), null, Map.of(), "")
                .startsWith("POST\n/v2/" + PROJECT + "/notifications/topics/urn%253Asmn%253Aeu-de%253Ap%253At/a%252Fb%2525c/publish/\n"));
    }

    @Test
    void nonDefaultPortIsSignedLikeSdkAndDefaultPortIsDropped() {
        Map<String, String> headers = Map.of(DATE_HEADER, DATE);
        URI withPort = URI.create("https://sandbox.local:8443/v2/p/instances");

        assertEquals(sdkAt("https://sandbox.local:8443", "GET", withPort.getRawPath(), Map.of(), headers, null),
                ours("GET", withPort, headers, null));
        assertEquals(ours("GET", URI.create(ENDPOINT + "/v2/p"), headers, null),
                ours("GET", URI.create(ENDPOINT + ":443/v2/p"), headers, null));
    }

    @Test
    void temporaryCredentialHeadersAreSignedLikeSdk() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances/i-1/swap");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Project-Id", PROJECT);
        headers.put("X-Security-Token", "gQpjbi1ub3J0aC00...temporary");
        headers.put("X_Trace_Id", "underscore-names-are-not-signed");
        headers.put(DATE_HEADER, DATE);

        String authorization = ours("POST", uri, headers, "{}");
        assertEquals(sdk("POST", uri.getRawPath(), Map.of(), headers, "{}"), authorization);
        assertTrue(authorization.contains("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,"), authorization);
    }

    @Test
    void signReturnsGivenHeadersPlusDateFromClockAndAuthorizationButNoHost() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances");
        Map<String, String> given = Map.of("X-Project-Id", PROJECT);

        Map<String, String> sent = AkSkSigner.sign("GET", uri, given, null, AK, SK, NOW);

        assertEquals(Map.of("X-Project-Id", PROJECT, DATE_HEADER, DATE, "Authorization",
                sdk("GET", uri.getRawPath(), Map.of(), Map.of("X-Project-Id", PROJECT, DATE_HEADER, DATE), null)), sent);
    }

    @Test
    void givenSdkDateIsKeptInsteadOfTheClock() {
        URI uri = URI.create(ENDPOINT + "/v2/p/instances");
        Map<String, String> sent = AkSkSigner.sign("GET", uri, Map.of("x-sdk-date", "20200202T020202Z"), null, AK, SK, NOW);

        assertEquals("20200202T020202Z", sent.get("x-sdk-date"));
        assertFalse(sent.containsKey(DATE_HEADER));
    }

    @Test
    void referenceVectorWithContentTypeSignedIsAcceptedByVerify() {
        // huawei-apis.md §1 self-computed vector. It signs content-type, which the SDK (and so sign()) never does, but a
        // server checks whatever SignedHeaders lists, so verify() must accept it.
        String path = "/v2/0123456789abcdef0123456789abcdef/instances/11111111-2222-3333-4444-555555555555/swap";
        Map<String, String> request = Map.of("Host", "dcs.eu-de.otc.t-systems.com", "Content-Type", "application/json",
                "X-Project-Id", "0123456789abcdef0123456789abcdef", DATE_HEADER, DATE,
                "Authorization", "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
                        + "Signature=6d4c29164237cc25ecf212919972cd15765adeaa007953f4a5d0fe01271e4a42");

        assertTrue(AkSkSigner.verify("POST", path, null, lookup(request), new byte[0], "SKEXAMPLE"));
        assertEquals(Optional.of("AKEXAMPLE"), AkSkSigner.accessKeyOf(request.get("Authorization")));

        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("content-type", "application/json");
        signed.put("host", "dcs.eu-de.otc.t-systems.com");
        signed.put("x-project-id", "0123456789abcdef0123456789abcdef");
        signed.put("x-sdk-date", DATE);
        String canonical = AkSkSigner.canonicalRequest("POST", path, null, signed,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertEquals("43dfbf9ba305b1ecdcb030e10e61dc6f8e3df4982bb14f1c5b58afd58294c4f4", sha256Hex(canonical));
    }

    @Test
    void documentedHmacVectorMatches() {
        // Official APIG signing guide example (string to sign -> signature).
        assertEquals("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
                AkSkSigner.signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
                        "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"));
    }

    @Test
    void verifyAcceptsWhatSignProducedAsSentOverTheWire() throws Exception {
        URI uri = new URI("https", "dcs.eu-de.otc.t-systems.com", "/v2/" + PROJECT + "/tags/grüße",
                "name=a b/c*~ü&multi=2&multi=1", null);
        URI wire = URI.create(uri.toASCIIString());
        byte[] body = "{\"force\":true}".getBytes(StandardCharsets.UTF_8);

        Map<String, String> sent = signedRequest(uri, body);

        assertTrue(AkSkSigner.verify("POST", wire.getRawPath(), wire.getRawQuery(), lookup(sent), body, SK));
        assertTrue(AkSkSigner.verify("POST", uri.getRawPath(), uri.getRawQuery(), lookup(sent), body, SK));
        assertEquals(Optional.of(AK), AkSkSigner.accessKeyOf(sent.get("Authorization")));
    }

    @Test
    void verifyRejectsTamperedBody() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances/i-1/swap");
        Map<String, String> sent = signedRequest(uri, "{\"force\":false}".getBytes(StandardCharsets.UTF_8));

        assertFalse(AkSkSigner.verify("POST", uri.getRawPath(), null, lookup(sent),
                "{\"force\":true}".getBytes(StandardCharsets.UTF_8), SK));
    }

    @Test
    void verifyRejectsTamperedPathAndQuery() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances/i-1/swap?dry_run=true");
        Map<String, String> sent = signedRequest(uri, null);

        assertFalse(AkSkSigner.verify("POST", "/v2/" + PROJECT + "/instances/i-2/swap", uri.getRawQuery(),
                lookup(sent), null, SK));
        assertFalse(AkSkSigner.verify("POST", uri.getRawPath(), "dry_run=false", lookup(sent), null, SK));
        assertFalse(AkSkSigner.verify("DELETE", uri.getRawPath(), uri.getRawQuery(), lookup(sent), null, SK));
    }

    @Test
    void verifyRejectsWrongSecretKey() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances");
        Map<String, String> sent = signedRequest(uri, null);

        assertFalse(AkSkSigner.verify("POST", uri.getRawPath(), null, lookup(sent), null, SK + "x"));
    }

    @Test
    void verifyRejectsMissingOrChangedSignedHeader() {
        URI uri = URI.create(ENDPOINT + "/v2/" + PROJECT + "/instances");
        Map<String, String> sent = signedRequest(uri, null);

        Map<String, String> withoutProject = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        withoutProject.putAll(sent);
        withoutProject.remove("X-Project-Id");
        assertFalse(AkSkSigner.verify("POST", uri.getRawPath(), null, withoutProject::get, null, SK));

        Map<String, String> otherHost = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        otherHost.putAll(sent);
        otherHost.put("Host", "dcs.eu-nl.otc.t-systems.com");
        assertFalse(AkSkSigner.verify("POST", uri.getRawPath(), null, otherHost::get, null, SK));
    }

    @Test
    void garbledAuthorizationIsRejectedWithoutThrowing() {
        Map<String, String> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.put("Host", "dcs.eu-de.otc.t-systems.com");
        request.put(DATE_HEADER, DATE);
        for (String garbled : new String[] {null, "", "Bearer abc", "SDK-HMAC-SHA256 Access=AK",
                "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=nothex"}) {
            if (garbled == null) {
                request.remove("Authorization");
            } else {
                request.put("Authorization", garbled);
            }
            assertFalse(AkSkSigner.verify("GET", "/v2/p", null, request::get, null, SK), String.valueOf(garbled));
            assertEquals(Optional.empty(), AkSkSigner.accessKeyOf(garbled));
        }
        // Well-formed, but a signature that does not cover the date could be replayed forever.
        request.put("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + "0".repeat(64));
        assertFalse(AkSkSigner.verify("GET", "/v2/p", null, request::get, null, SK));
        request.put("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + "0".repeat(64));
        assertFalse(AkSkSigner.verify("GET", "/v2/p", "a=%zz", request::get, null, SK));
        assertFalse(AkSkSigner.verify("GET", "/v2/p", "a=%4", request::get, null, SK));
    }

    // ---- helpers ----

    private static String ours(String method, URI uri, Map<String, String> headers, String body) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        return AkSkSigner.sign(method, uri, headers, bytes, AK, SK, NOW).get("Authorization");
    }

    private static String sdk(String method, String wirePath, Map<String, List<String>> query,
            Map<String, String> headers, String body) {
        return sdkAt(ENDPOINT, method, wirePath, query, headers, body);
    }

    private static String sdkAt(String endpoint, String method, String wirePath, Map<String, List<String>> query,
            Map<String, String> headers, String body) {
        HttpRequest.HttpRequestBuilder request = HttpRequest.newBuilder()
                .withMethod(HttpMethod.valueOf(method))
                .withEndpoint(endpoint)
                .withPath(wirePath);
        headers.forEach(request::addHeader);
        query.forEach(request::addQueryParam);
        if (body != null) {
            request.withBodyAsString(body);
        }
        return AKSKSigner.getInstance().sign(request.build(), new BasicCredentials().withAk(AK).withSk(SK))
                .get("Authorization");
    }

    private static Map<String, String> signedRequest(URI uri, byte[] body) {
        Map<String, String> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sent.putAll(AkSkSigner.sign("POST", uri, Map.of("X-Project-Id", PROJECT, "Content-Type", "application/json"),
                body, AK, SK, NOW));
        sent.put("Host", uri.getHost());
        return sent;
    }

    private static Function<String, String> lookup(Map<String, String> headers) {
        Map<String, String> insensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        insensitive.putAll(headers);
        return insensitive::get;
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
