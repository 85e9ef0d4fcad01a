package io.switchguard.drill;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a planned drill may run, in UTC: allowed windows (none = any time), blocked windows, blocked dates. A window
 * is "days HH:MM-HH:MM": days "*", "Mon", "Mon-Fri" or "Sat,Sun"; 24:00 ends the day. Pure: a function of the
 * instant, tested without a clock.
 */
record Windows(List<Window> allowed, List<Window> blocked, List<LocalDate> blockedDates) {

    private static final Pattern WINDOW = Pattern.compile("(\\*|[A-Za-z]{3}(?:-[A-Za-z]{3})?(?:,[A-Za-z]{3})*)\\s+"
            + "(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");

    record Window(Set<DayOfWeek> days, int fromMinute, int toMinute, String text) {

        boolean contains(ZonedDateTime t) {
            int minute = t.getHour() * 60 + t.getMinute();
            return days.contains(t.getDayOfWeek()) && minute >= fromMinute && minute < toMinute;
        }
    }

    Windows {
        allowed = List.copyOf(allowed);
        blocked = List.copyOf(blocked);
        blockedDates = List.copyOf(blockedDates);
    }

    /** Empty when the drill may run at {@code at}; otherwise why not. */
    Optional<String> refuses(Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        if (blockedDates.contains(t.toLocalDate())) {
            return Optional.of(t.toLocalDate() + " is a blocked date");
        }
        for (Window w : blocked) {
            if (w.contains(t)) {
                return Optional.of(t.toLocalTime().withNano(0) + " UTC " + t.getDayOfWeek().getDisplayName(
                        TextStyle.SHORT, Locale.ROOT) + " is inside the blocked window " + w.text());
            }
        }
        if (!allowed.isEmpty() && allowed.stream().noneMatch(w -> w.contains(t))) {
            return Optional.of(t.toLocalTime().withNano(0) + " UTC " + t.getDayOfWeek().getDisplayName(TextStyle.SHORT,
                    Locale.ROOT) + " is outside the allowed windows " + allowed.stream().map(Window::text).toList());
        }
        return Optional.empty();
    }

    /** A window, or null when the text is not one. */
    static Window parse(String text) {
        Matcher m = WINDOW.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        Set<DayOfWeek> days = days(m.group(1));
        int from = minute(m.group(2), m.group(3));
        int to = minute(m.group(4), m.group(5));
        if (days == null || from < 0 || to < 0 || from >= to) {
            return null;
        }
        return new Window(days, from, to, text.trim());
    }

    private static int minute(String h, String m) {
        int hour = Integer.parseInt(h);
        int minute = Integer.parseInt(m);
        if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) {
            return -1;
        }
        return hour * 60 + minute;
    }

    private static Set<DayOfWeek> days(String text) {
        if (text.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            DayOfWeek from = day(range[0]);
            DayOfWeek to = range.length > 1 ? day(range[1]) : from;
            if (from == null || to == null) {
                return null;
            }
            // A range may wrap the week's end (Fri-Mon).
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(text)) {
                return d;
            }
        }
        return null;
    }
}
