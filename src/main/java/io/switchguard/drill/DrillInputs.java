package io.switchguard.drill;

import io.switchguard.config.ConfigValidator;
import io.switchguard.function.Inputs;
import io.switchguard.http.ApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Strict reading of the schedule and drill functions' input, as function/Inputs does for the switchover ones:
 * unknown fields are ignored, a missing, malformed or wrongly typed known field is a 400 before anything happens.
 */
final class DrillInputs {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_REASON = 500;
    /** A planned switchover further out than this is a calendar entry, not a schedule. */
    private static final Duration MAX_AHEAD = Duration.ofDays(366);

    private DrillInputs() {}

    /** POST /schedule {"target","at","reason","requestId"?}: at is an ISO-8601 instant with offset, in the future. */
    static ScheduleService.Request schedule(Map<String, Object> body, Clock clock) {
        Map<String, Object> b = required(body, "{\"target\",\"at\",\"reason\"}");
        String target = target(b);
        String atText = Inputs.string(b, "at");
        if (atText == null) {
            throw ApiException.badRequest("at: required, an ISO-8601 time with offset, e.g. 2026-12-01T22:00:00Z");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(atText.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("at: must be an ISO-8601 time with offset, e.g. 2026-12-01T22:00:00Z");
        }
        Instant now = clock.instant();
        if (!at.isAfter(now)) {
            throw ApiException.badRequest("at: must be in the future (now is " + now + ")");
        }
        if (at.isAfter(now.plus(MAX_AHEAD))) {
            throw ApiException.badRequest("at: at most " + MAX_AHEAD.toDays() + " days ahead");
        }
        String requestId = Inputs.string(b, "requestId");
        if (requestId != null && !ID.matcher(requestId).matches()) {
            throw ApiException.badRequest("requestId: must match [A-Za-z0-9_-]{1,64}");
        }
        return new ScheduleService.Request(target, at, reason(b, true), requestId, null);
    }

    /** POST /schedule-cancel {"id","reason"}: both required. */
    static Cancel cancel(Map<String, Object> body) {
        Map<String, Object> b = required(body, "{\"id\",\"reason\"}");
        return new Cancel(id(b.get("id"), "id"), reason(b, true));
    }

    record Cancel(String id, String reason) {}

    /** POST /drill {"target","hold"?,"checkUrl"?,"reason"?}. */
    static DrillService.Request drill(Map<String, Object> body, Duration maxHold) {
        Map<String, Object> b = required(body, "{\"target\",\"hold\":\"30s\"}");
        String target = target(b);
        String holdText = Inputs.string(b, "hold");
        Duration hold = holdText == null ? Duration.ofSeconds(30) : ConfigValidator.parseDuration(holdText);
        if (hold == null || hold.compareTo(Duration.ofSeconds(1)) < 0 || hold.compareTo(maxHold) > 0) {
            throw ApiException.badRequest("hold: a duration from 1s to " + maxHold.toSeconds() + "s, e.g. 30s or 5m");
        }
        String checkUrl = Inputs.string(b, "checkUrl");
        if (checkUrl != null) {
            try {
                URI u = URI.create(checkUrl.trim());
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("not http(s)");
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("checkUrl: must be an absolute http or https URL");
            }
        }
        return new DrillService.Request(target, hold, checkUrl == null ? null : checkUrl.trim(), reason(b, false),
                null);
    }

    /**
     * POST /drill-plan: the drill's fields, plus "cron" (5 fields, UTC), "allowed" and "blocked" (lists of windows,
     * "Mon-Fri 09:00-17:00") and "blockedDates" (ISO dates), all but cron optional.
     */
    static DrillPlanService.Request plan(Map<String, Object> body, Duration maxHold, Instant now) {
        DrillService.Request drill = drill(body, maxHold);
        String cron = Inputs.string(body, "cron");
        if (cron == null || DrillPlanService.next(cron, now).isEmpty()) {
            throw ApiException.badRequest("cron: required, 5 fields in UTC (minute hour day month weekday), e.g."
                    + " \"0 10 * * TUE\"");
        }
        List<String> allowed = strings(body, "allowed");
        List<String> blocked = strings(body, "blocked");
        for (String w : concat(allowed, blocked)) {
            if (Windows.parse(w) == null) {
                throw ApiException.badRequest("allowed/blocked: '" + w + "' is not a window like"
                        + " \"Mon-Fri 09:00-17:00\" (UTC; days *, Mon, Mon-Fri or Sat,Sun)");
            }
        }
        List<LocalDate> dates = new ArrayList<>();
        for (String d : strings(body, "blockedDates")) {
            try {
                dates.add(LocalDate.parse(d));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("blockedDates: '" + d + "' is not an ISO date like 2026-12-24");
            }
        }
        return new DrillPlanService.Request(drill.target(), cron.trim(), drill.hold(), drill.checkUrl(),
                drill.reason(), allowed, blocked, dates, null);
    }

    private static List<String> strings(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list) || list.size() > 50 || !list.stream().allMatch(x -> x instanceof String)) {
            throw ApiException.badRequest(field + ": must be a list of at most 50 strings");
        }
        return list.stream().map(x -> ((String) x).trim()).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String id(Object value, String field) {
        if (!(value instanceof String s) || !ID.matcher(s).matches()) {
            throw ApiException.badRequest(field + ": required, a string matching [A-Za-z0-9_-]{1,64}");
        }
        return s;
    }

    /** An optional target filter of a list query. */
    static String targetFilter(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!ConfigValidator.ID.matcher(value).matches()) {
            throw ApiException.badRequest("target: must be a string matching [A-Za-z0-9-]{1,64}");
        }
        return value;
    }

    private static Map<String, Object> required(Map<String, Object> body, String shape) {
        if (body == null) {
            throw ApiException.badRequest("a JSON object body is required: " + shape);
        }
        return body;
    }

    private static String target(Map<String, Object> b) {
        return Inputs.targetName(b.get("target"), true);
    }

    private static String reason(Map<String, Object> b, boolean required) {
        String reason = Inputs.string(b, "reason");
        if (reason == null || reason.isBlank()) {
            if (required) {
                throw ApiException.badRequest("reason: required (at most " + MAX_REASON + " characters)");
            }
            return null;
        }
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("reason: at most " + MAX_REASON + " characters");
        }
        return reason;
    }
}
