package io.mythos.platform.security;

import java.util.List;

/**
 * The roles of DESIGN.md "Access control", read from a token's {@code groups} claim. A write role includes
 * {@link #VIEWER} and {@link #OPERATOR} includes every role: that hierarchy is configured once
 * ({@code quarkus.http.auth.roles-mapping} in the platform's configuration), so that a resource names only
 * the roles the contract gives its route.
 */
public final class Roles {

    /** Reads: every GET, the SSE stream. */
    public static final String VIEWER = "viewer";
    /** Sends observations: signals, beliefs, pressure. */
    public static final String REPORTER = "reporter";
    /** Takes decentralization tasks: claim, and complete/fail of a task it claimed itself. */
    public static final String WORKER = "worker";
    /** What the services use to call each other: rebalance, recover, signals. */
    public static final String SERVICE = "service";
    /** May do everything: rules, assistants, deletes, rebalance, recover, cycle. */
    public static final String OPERATOR = "operator";

    public static final List<String> ALL = List.of(VIEWER, REPORTER, WORKER, SERVICE, OPERATOR);

    private Roles() {
    }
}
