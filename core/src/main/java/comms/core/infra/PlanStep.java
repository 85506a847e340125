package comms.core.infra;

/**
 * One step of an infra plan: what it would do ({@code action}, {@code change}), why, and the contract
 * line it comes from. {@code changes} is false for a step that finds everything already in place.
 */
public record PlanStep(int order, String action, String change, String why, String source, boolean changes) {}
