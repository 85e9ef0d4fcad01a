package io.switchguard.cloud;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * THROWAWAY PLACEHOLDER so the sandbox compiles until branch {@code signer} lands; it is removed
 * before merging that branch. Same public API as the real signer.
 */
public final class AkSkSigner {
    private static final String ALGORITHM = "SDK-HMAC-SHA256";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private AkSkSigner() {
    }

    public static Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body,
            String ak, String sk, Instant now) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        if (out.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("X-Sdk-Date"))) {
            out.put("X-Sdk-Date", DATE.format(now));
        }
        TreeMap<String, String> signed = new TreeMap<>();
        out.forEach((k, v) -> {
            String n = k.toLowerCase(Locale.ROOT);
            if (!n.equals("content-type") && !n.contains("_")) {
                signed.put(n, v.trim());
            }
        });
        signed.put("host", host(uri));
        String signedHeaders = String.join(";", signed.keySet());
        String signature = signature(method, uri.getRawPath(), uri.getRawQuery(), signed, signedHeaders, body, sk);
        out.put("Authorization", ALGORITHM + " Access=" + ak + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + signature);
        return out;
    }

    public static Optional<String> accessKeyOf(String authorizationHeader) {
        return part(authorizationHeader, "Access");
    }

    public static boolean verify(String method, String rawPath, String rawQuery, Function<String, String> header,
            byte[] body, String sk) {
        String auth = header.apply("Authorization");
        if (auth == null || !auth.startsWith(ALGORITHM + " ")) {
            return false;
        }
        Optional<String> names = part(auth, "SignedHeaders");
        Optional<String> given = part(auth, "Signature");
        if (names.isEmpty() || given.isEmpty()) {
            return false;
        }
        TreeMap<String, String> signed = new TreeMap<>();
        for (String n : names.get().split(";")) {
            String v = header.apply(n);
            if (v == null) {
                return false;
            }
            signed.put(n.toLowerCase(Locale.ROOT), v.trim());
        }
        if (!signed.containsKey("x-sdk-date")) {
            return false;
        }
        String expected = signature(method, rawPath, rawQuery, signed, names.get(), body, sk);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.get().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> part(String auth, String name) {
        if (auth == null) {
            return Optional.empty();
        }
        for (String p : auth.replaceFirst("^\\S+\\s+", "").split(",")) {
            String t = p.trim();
            if (t.startsWith(name + "=")) {
                return Optional.of(t.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static String signature(String method, String rawPath, String rawQuery, TreeMap<String, String> signed,
            String signedHeaders, byte[] body, String sk) {
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
        String canonical = method.toUpperCase(Locale.ROOT) + "\n" + canonicalUri(rawPath) + "\n"
                + canonicalQuery(rawQuery) + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n"
                + hex(sha256(body == null ? new byte[0] : body));
        String date = signed.get("x-sdk-date");
        String toSign = ALGORITHM + "\n" + date + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sk.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String seg : rawPath.split("/", -1)) {
            if (b.length() > 0 || !seg.isEmpty()) {
                b.append(encode(decode(seg))).append('/');
            } else {
                b.append('/');
            }
        }
        String s = b.toString().replaceAll("/+$", "/");
        return s.startsWith("/") ? s : "/" + s;
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String p : rawQuery.split("&")) {
            int i = p.indexOf('=');
            String k = decode(i < 0 ? p : p.substring(0, i));
            String v = i < 0 ? "" : decode(p.substring(i + 1));
            pairs.add(new String[] {encode(k), encode(v)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? 0 : a[0].compareTo(b[0]));
        List<String> out = new ArrayList<>();
        pairs.forEach(p -> out.add(p[0] + "=" + p[1]));
        return String.join("&", out);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String host(URI uri) {
        int port = uri.getPort();
        boolean dflt = port == -1 || (port == 80 && "http".equals(uri.getScheme()))
                || (port == 443 && "https".equals(uri.getScheme()));
        return dflt ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
