package io.switchguard.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: {@code X-Switchguard-Signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>}, over the
 * exact body bytes as sent. No timestamp is mixed in: a replayed delivery is just a duplicate event id, which
 * at-least-once receivers already drop.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Switchguard-Signature";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {}

    /** The header value for a body. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, body));
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
