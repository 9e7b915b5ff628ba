package io.mythos.platform.web;

import io.mythos.common.web.Problem;

import java.util.List;

/**
 * A client mistake the service detected itself (unknown id, unknown reference, conflict, a rule
 * that Bean Validation cannot express). Mapped to problem+json by {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final transient List<Problem.Violation> violations;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String title, String detail, List<Problem.Violation> violations) {
        this(status, "about:blank", title, detail, violations, null);
    }

    /**
     * @param type the problem's type URI ({@code about:blank} unless the problem has a type of its own)
     * @param retryAfterSeconds sent as {@code Retry-After} when not null (a 503 always gets one)
     */
    public ProblemException(int status, String type, String title, String detail, List<Problem.Violation> violations,
                            Integer retryAfterSeconds) {
        super(detail, null, false, false); // no stack trace: these are expected outcomes, not bugs
        this.status = status;
        this.type = type;
        this.title = title;
        this.violations = violations;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail, null);
    }

    public static ProblemException unknownReference(String detail) {
        return new ProblemException(422, "Unknown Reference", detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, null);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "Bad Request", field + ": " + message,
                List.of(new Problem.Violation(field, message)));
    }

    public int status() {
        return status;
    }

    /** When to try again, in seconds, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        return new Problem(type, title, status, getMessage(), violations);
    }
}
