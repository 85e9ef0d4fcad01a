package io.switchguard.cloud;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Huawei Cloud / Open Telekom Cloud AK/SK signing (SDK-HMAC-SHA256), byte-for-byte what the official Java SDK
 * (huaweicloud-sdk-core {@code AKSKSigner} + {@code SignUtils}) produces; AkSkSignerTest uses that SDK as the oracle.
 *
 * <p>Canonical rules, taken from the SDK's code rather than from the prose docs:
 * <ul>
 * <li>URI: the path as sent (percent-encoded form), split on '/', each segment encoded <em>again</em> with the
 * RFC 3986 unreserved set, '/' after every segment. So {@code /a/%C3%A4} becomes {@code /a/%25C3%25A4/}: the SDK
 * encodes {@code URL.getPath()}, which is still encoded.</li>
 * <li>Query: keys and values decoded, then encoded with the unreserved set; sorted by encoded key, repeated keys
 * keep their order; {@code k} without '=' is {@code k=}.</li>
 * <li>Headers: every header except Content-Type and names containing '_', plus host and x-sdk-date; names
 * lower-cased and sorted, values as sent (not trimmed).</li>
 * <li>Payload: hex SHA-256 of the body, unless X-Sdk-Content-Sha256 is set (then its value, e.g. UNSIGNED-PAYLOAD).</li>
 * </ul>
 */
public final class AkSkSigner {

    public static final String ALGORITHM = "SDK-HMAC-SHA256";

    static final String DATE_HEADER = "X-Sdk-Date";
    private static final String CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256";
    private static final DateTimeFormatter DATE_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern AUTHORIZATION = Pattern.compile(
            Pattern.quote(ALGORITHM) + " Access=([^,\\s]+), SignedHeaders=([^,\\s]+), Signature=([0-9a-f]{64})");
    private static final HexFormat HEX = HexFormat.of();
    /** Percent-escapes are upper-case hex (RFC 3986 §2.1, and what the SDK writes). */
    private static final HexFormat UPPER_HEX = HEX.withUpperCase();

    private AkSkSigner() {
    }

    /**
     * Client side. Returns the headers to send: every header given (as given), plus X-Sdk-Date
     * (formatted yyyyMMdd'T'HHmmss'Z' from now, unless headers already has one) and Authorization.
     * Host is signed (uri authority, default port dropped) but NOT returned: the HTTP client sets it.
     * Which of the given headers are signed follows the official SDK exactly: it does not sign
     * Content-Type, nor headers whose name contains '_'; X-Project-Id / X-Security-Token are signed.
     */
    public static Map<String, String> sign(String method, URI uri, Map<String, String> headers,
            byte[] body, String ak, String sk, Instant now) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        if (find(headers, "Authorization") != null) {
            throw new IllegalArgumentException("headers already carry an Authorization header");
        }
        if (find(headers, DATE_HEADER) == null) {
            out.put(DATE_HEADER, DATE_FORMAT.format(now));
        }

        TreeMap<String, String> signed = new TreeMap<>();
        for (Map.Entry<String, String> h : out.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            // The SDK leaves these two out; signing them would make our signature differ from the SDK's for the
            // same request, which is the whole point of matching it.
            if (name.equals("content-type") || name.contains("_")) {
                continue;
            }
            if (signed.put(name, h.getValue()) != null) {
                throw new IllegalArgumentException("header given twice (names differ only in case): " + name);
            }
        }
        signed.putIfAbsent("host", hostOf(uri));

        String signedHeaders = String.join(";", signed.keySet());
        String signature = signature(sk, stringToSign(method, uri.getRawPath(), uri.getRawQuery(), signed,
                payloadHash(signed.get(CONTENT_SHA256_HEADER.toLowerCase(Locale.ROOT)), body)));
        out.put("Authorization",
                ALGORITHM + " Access=" + ak + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return out;
    }

    /** Server side (used by our in-process cloud simulator): the AK named in an Authorization header, if it is one of ours. */
    public static Optional<String> accessKeyOf(String authorizationHeader) {
        return parse(authorizationHeader).map(Authorization::ak);
    }

    /**
     * Server side: true when the request's Authorization signature matches, recomputed over exactly the headers listed in its
     * SignedHeaders (values looked up case-insensitively through {@code header}; "host" from the Host header), the raw
     * (still percent-encoded) request path and raw query string as received, and the body bytes.
     * Does not judge the age of X-Sdk-Date; the caller decides what clock skew it accepts.
     */
    public static boolean verify(String method, String rawPath, String rawQuery,
            Function<String, String> header, byte[] body, String sk) {
        try {
            Optional<Authorization> auth = parse(header.apply("Authorization"));
            if (auth.isEmpty() || sk == null || method == null) {
                return false;
            }
            List<String> names = List.of(auth.get().signedHeaders().split(";"));
            // host and x-sdk-date are what bind a signature to one server and one moment; the SDK always signs both.
            if (!names.contains("host") || !names.contains("x-sdk-date")) {
                return false;
            }
            Map<String, String> signed = new LinkedHashMap<>();
            for (String name : names) {
                String value = header.apply(name);
                if (name.isEmpty() || value == null || signed.put(name, value) != null) {
                    return false;
                }
            }
            // An unsigned X-Sdk-Content-Sha256 could be added by anyone to skip the body check, so only a signed one counts.
            String expected = signature(sk, stringToSign(method, rawPath, rawQuery, signed,
                    payloadHash(signed.get(CONTENT_SHA256_HEADER.toLowerCase(Locale.ROOT)), body)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    auth.get().signature().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return false; // malformed percent-escape in path or query
        }
    }

    /** Lower-hex HMAC-SHA256 with the SK itself as key (no key derivation in SDK-HMAC-SHA256). */
    static String signature(String sk, String stringToSign) {
        return HEX.formatHex(MAC.get().keyedWith(sk).doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Each thread's HMAC, kept with the key it was last given: Mac.getInstance (and MessageDigest.getInstance)
     * search the security providers on every call, a cost the swap bench's profile showed on both sides of each
     * signed call (issue #11 item 9). doFinal leaves a Mac ready for the next message under the same key.
     */
    private static final class KeyedMac {
        private final Mac mac;
        private String key;

        KeyedMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        Mac keyedWith(String sk) {
            if (!sk.equals(key)) {
                key = null; // a failed init leaves no key to trust
                try {
                    mac.init(new SecretKeySpec(sk.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("unusable secret key", e);
                }
                key = sk;
            }
            return mac;
        }
    }

    private static final ThreadLocal<KeyedMac> MAC = ThreadLocal.withInitial(KeyedMac::new);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    /** {@code signed}: lower-case names in the order they appear in SignedHeaders (sorted when we sign). */
    static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, String> signed,
            String payloadHash) {
        StringBuilder headers = new StringBuilder();
        signed.forEach((name, value) -> headers.append(name).append(':').append(value).append('\n'));
        return String.join("\n", method, canonicalUri(rawPath), canonicalQuery(rawQuery), headers,
                String.join(";", signed.keySet()), payloadHash);
    }

    private static String stringToSign(String method, String rawPath, String rawQuery, Map<String, String> signed,
            String payloadHash) {
        String date = signed.get(DATE_HEADER.toLowerCase(Locale.ROOT));
        if (date == null) {
            throw new IllegalArgumentException("no X-Sdk-Date");
        }
        String canonical = canonicalRequest(method, rawPath, rawQuery, signed, payloadHash);
        return ALGORITHM + "\n" + date + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    }

    private static String canonicalUri(String rawPath) {
        String path = toWireForm(rawPath == null ? "" : rawPath);
        if (path.equals("/")) {
            return path;
        }
        StringBuilder uri = new StringBuilder();
        // String.split drops trailing empty segments, as the SDK's does: "/a/b" and "/a/b/" both become "/a/b/".
        for (String segment : path.split("/")) {
            uri.append(encode(segment.getBytes(StandardCharsets.US_ASCII))).append('/');
        }
        return uri.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(encode(decode(key)), k -> new ArrayList<>()).add(encode(decode(value)));
        }
        List<String> pairs = new ArrayList<>();
        params.forEach((key, values) -> values.forEach(value -> pairs.add(key + "=" + value)));
        return String.join("&", pairs);
    }

    /**
     * A java.net.URI may hold non-ASCII characters unescaped, but the HTTP client sends them as UTF-8 %XX and the server
     * sees that form; both sides sign the wire form so they agree.
     */
    private static String toWireForm(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        raw.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(UPPER_HEX.toHexDigits(b));
                }
            }
        });
        return out.toString();
    }

    /** Percent-decodes to bytes. '+' stays a literal plus (RFC 3986); the SDK itself never sends '+' for a space. */
    private static byte[] decode(String component) {
        byte[] wire = toWireForm(component).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(wire.length);
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] == '%') {
                if (i + 2 >= wire.length) {
                    throw new IllegalArgumentException("truncated percent-escape");
                }
                out.write(HexFormat.fromHexDigits(new String(wire, i + 1, 2, StandardCharsets.US_ASCII)));
                i += 2;
            } else {
                out.write(wire[i]);
            }
        }
        return out.toByteArray();
    }

    /** SignUtils.urlEncode: URLEncoder then '+'->%20, '*'->%2A, %7E->'~', i.e. only RFC 3986 unreserved left bare. */
    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(UPPER_HEX.toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static String payloadHash(String declared, byte[] body) {
        return declared != null ? declared : sha256Hex(body == null ? new byte[0] : body);
    }

    private static String sha256Hex(byte[] data) {
        // digest() resets the thread's digest for its next use.
        return HEX.formatHex(SHA256.get().digest(data));
    }

    /** What an HTTP client puts in Host: no port when it is the scheme's default. */
    static String hostOf(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()))
                || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()));
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static String find(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static Optional<Authorization> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = AUTHORIZATION.matcher(header.strip());
        return m.matches() ? Optional.of(new Authorization(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    private record Authorization(String ak, String signedHeaders, String signature) {
    }
}
