package io.mythos.daemon.service;

/** What one call to the healing service did to an escalation (the {@code outcome} tag of its counter). */
public enum EscalationOutcome {
    /** Accepted: the escalation is done. */
    SENT,
    /** Refused (422: assistant unknown, or another 4xx): logged, counted and never retried. */
    REJECTED,
    /** Unreachable or failing: the escalation stays pending for a later cycle. */
    FAILED
}
