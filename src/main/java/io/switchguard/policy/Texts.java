package io.switchguard.policy;

import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.util.Locale;

/** How numbers read in reason sentences: as operators write them in config (15m, 64MB). */
final class Texts {

    private Texts() {}

    /** 4m, 1h30m, 45s, 2m5s, 250ms; negative durations keep their sign. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long seconds = d.getSeconds();
        if (seconds == 0) {
            return d.isZero() ? "0s" : d.toMillis() + "ms";
        }
        StringBuilder out = new StringBuilder();
        long h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }

    /** Powers of 1024 as in Redis and config: 512B, 64MB, 80.5MB, 1GB. */
    static String bytes(long b) {
        if (b < 1024) {
            return b + "B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        String n = String.format(Locale.ROOT, "%.1f", v);
        return (n.endsWith(".0") ? n.substring(0, n.length() - 2) : n) + units[i];
    }

    static String detail(ProbeResult r) {
        return r.detail() == null || r.detail().isBlank() ? "no detail" : r.detail();
    }
}
