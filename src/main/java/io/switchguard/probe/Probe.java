package io.switchguard.probe;

/** One signal about a target. Never throws and never outlives its own timeout: a failure is a DOWN result. */
public interface Probe {

    /** What it looks at, for logs and /status: "redis 10.0.0.5:6379", "tcp ...", "cloud dcs status". */
    String describe();

    ProbeResult probe();
}
