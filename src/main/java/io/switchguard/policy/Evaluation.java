package io.switchguard.policy;

/** The state to persist for the next cycle, and the decision for this one. */
public record Evaluation(TargetState next, Decision decision) {}
