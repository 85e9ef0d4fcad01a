package io.switchguard.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.probe.ProbeResult;
import io.switchguard.probe.ProbeResult.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Function;

/** What every kind's status reader does alike: read a status field, word a result, tell a failed status API. */
public final class CloudReading {

    /** How a result from a status API that could not be asked begins. */
    public static final String API_FAILED = "status API failed: ";

    private CloudReading() {}

    /** A status field placed in a kind's vocabulary: what it means, and the status as a result's detail quotes it. */
    public record Status(Health meaning, String quoted) {}

    /**
     * The answer's body read by {@code reading}, or, when the status API could not be asked or refused, the failed
     * result: every kind's reader starts so.
     */
    public static ProbeResult read(CloudResponse r, Function<JsonNode, ProbeResult> reading) {
        JsonNode body = ok(r);
        return body == null ? failed(r) : reading.apply(body);
    }

    /** The {@code status} field of {@code node} classified in the vocabulary (a missing or non-text one: unknown). */
    public static Status classify(JsonNode node, Map<String, Health> vocabulary) {
        JsonNode field = node.path("status");
        String status = field.isTextual() ? field.asText() : null;
        return new Status(StatusVocabulary.meaning(vocabulary, status), quoted(status, node));
    }

    /** The status as reported, or why there is none (an answer that is not JSON, or has no status). */
    private static String quoted(String status, JsonNode from) {
        if (status != null) {
            return status.isBlank() ? "(empty)" : status;
        }
        return from.isMissingNode() ? "(answer without a readable status)" : "(no status)";
    }

    /** A result whose detail says what the health means when it is not plainly up or down. */
    public static ProbeResult result(Health health, String detail, Duration lag, Instant lastSync) {
        String text = switch (health) {
            case UP, DOWN -> detail;
            case TRANSITIONAL -> detail + ": the cloud is busy with it (no confirmation, no automatic action)";
            case UNKNOWN -> detail + ": not in the status vocabulary (no signal)";
        };
        return new ProbeResult(health, text, Duration.ZERO, null, null, null, lag, lastSync);
    }

    /** The body of a 2xx answer, else null. */
    public static JsonNode ok(CloudResponse r) {
        return r instanceof CloudResponse.Answered a && a.ok() ? a.body() : null;
    }

    /** The status API could not be asked or refused: a DOWN whose detail starts with {@link #API_FAILED}. */
    public static ProbeResult failed(CloudResponse r) {
        String why = r instanceof CloudResponse.Answered a
                ? "HTTP " + a.status() + (a.error() != null ? " " + a.error().message() : "")
                : r instanceof CloudResponse.NotSent n ? n.reason() : ((CloudResponse.NoAnswer) r).reason();
        return ProbeResult.down(API_FAILED + why, Duration.ZERO);
    }

    /** Whether {@code r} says the status API could not be asked (no signal), rather than what the cloud said. */
    public static boolean apiFailed(ProbeResult r) {
        return r != null && !r.up() && r.detail().startsWith(API_FAILED);
    }

    /** ISO-8601 with or without offset, "yyyy-MM-dd HH:mm:ss" (UTC), or epoch milliseconds; null if none. */
    public static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        try {
            if (s.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(s));
            }
            if (s.endsWith("Z")) {
                return Instant.parse(s);
            }
            if (s.length() > 19 && (s.charAt(19) == '+' || s.charAt(19) == '-' || s.charAt(19) == '.')) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
