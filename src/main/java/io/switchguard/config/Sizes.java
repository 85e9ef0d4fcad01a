package io.switchguard.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as operators write them: 64MB, 512kb, 1GiB, 1048576. Units are powers of 1024, as in Redis. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?i?b?)", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /** The size in bytes, or -1 when the text is not a size. */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.isEmpty() || unit.equals("b")) {
            return n;
        }
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
        return n << shift;
    }
}
