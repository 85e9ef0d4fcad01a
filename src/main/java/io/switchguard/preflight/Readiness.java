package io.switchguard.preflight;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A target's preflight: "could we switch right now, and would it work?", as one list of checks, each with its
 * reason sentence.
 */
public record Readiness(String target, Instant at, List<Check> checks) {

    /**
     * One check's verdict.
     *
     * @param name endpoints | credentials | resource | switchable
     */
    public record Check(String name, boolean ok, String reason) {

        public static Check pass(String name, String reason) {
            return new Check(name, true, reason);
        }

        public static Check fail(String name, String reason) {
            return new Check(name, false, reason);
        }
    }

    public Readiness {
        checks = List.copyOf(checks);
    }

    public boolean ready() {
        return checks.stream().allMatch(Check::ok);
    }

    /** The failing checks' sentences, or that every check passed. */
    public String reason() {
        if (ready()) {
            return "every preflight check passed (" + checks.stream().map(Check::name).collect(Collectors.joining(", "))
                    + ")";
        }
        return checks.stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.reason())
                .collect(Collectors.joining("; "));
    }
}
